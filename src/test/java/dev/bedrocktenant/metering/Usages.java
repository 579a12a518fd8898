package dev.bedrocktenant.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/** Usage records for tests. */
public final class Usages {

    private Usages() {
    }

    public static Usage success(String tenant, String model, long input, long output, String cost, long latencyMs) {
        return usage(tenant, model, "Converse", TokenUsage.of(input, output), cost, 200, Outcome.SUCCESS, latencyMs);
    }

    public static Usage withCache(Usage u, Long cacheRead, Long cacheWrite) {
        TokenUsage t = u.tokens().withCache(cacheRead == null ? OptionalLong.empty() : OptionalLong.of(cacheRead),
                cacheWrite == null ? OptionalLong.empty() : OptionalLong.of(cacheWrite));
        return usage(u.tenant(), u.model(), u.operation(), t, u.costUsd().toPlainString(), u.status(), u.outcome(),
                u.latency().toMillis());
    }

    /** An error answered before any output, by Bedrock or the proxy: no tokens used. */
    public static Usage failed(String tenant, String model, int status, Outcome outcome, long latencyMs) {
        return usage(tenant, model, "Converse", TokenUsage.NONE, "0", status, outcome, latencyMs);
    }

    public static Usage usage(String tenant, String model, String operation, TokenUsage tokens, String cost, int status,
                       Outcome outcome, long latencyMs) {
        return new Usage(Instant.parse("2026-11-22T09:59:30Z"), "req-" + System.nanoTime(), tenant, model,
                Optional.empty(), operation, tokens, new BigDecimal(cost), true, status, outcome, false,
                Duration.ofMillis(latencyMs), Optional.empty());
    }
}
