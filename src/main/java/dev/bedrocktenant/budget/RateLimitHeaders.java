package dev.bedrocktenant.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.bedrocktenant.tenant.Tenant;

/**
 * The rate-limit headers SDK users know from other model APIs, on every response to a tenant with per-minute
 * limits: its limit, what is left of the current minute after this request, and when the minute resets
 * ({@code 12s}).
 */
final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    static Map<String, String> of(Tenant.RateLimits limits, TenantCounters counters, Instant at) {
        Map<String, String> headers = new LinkedHashMap<>();
        String reset = seconds(Duration.between(at, Period.endOfMinute(at)));
        limits.requestsPerMinute().ifPresent(rpm -> {
            headers.put("x-ratelimit-limit-requests", String.valueOf(rpm));
            headers.put("x-ratelimit-remaining-requests", String.valueOf(Math.max(0, rpm - counters.requests())));
            headers.put("x-ratelimit-reset-requests", reset);
        });
        limits.tokensPerMinute().ifPresent(tpm -> {
            headers.put("x-ratelimit-limit-tokens", String.valueOf(tpm));
            headers.put("x-ratelimit-remaining-tokens", String.valueOf(Math.max(0, tpm - counters.tokens())));
            headers.put("x-ratelimit-reset-tokens", reset);
        });
        return headers;
    }

    /** Whole seconds, rounded up, with the unit: {@code 1s} at the least. */
    static String seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
    }
}
