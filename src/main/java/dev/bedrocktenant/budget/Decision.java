package dev.bedrocktenant.budget;

import java.time.Instant;
import java.util.Optional;

/**
 * A store's answer to a claim.
 *
 * @param admitted true when the request may go (also over a limit, for an alert-only tenant)
 * @param over     the first limit without room, by its tenants-file name ({@code requestsPerMinute},
 *                 {@code tokensPerMinute}, {@code maxConcurrent}, {@code dailyUsd}, {@code monthlyUsd})
 * @param resetsAt when that limit has room again at the latest (the end of its window or period; for
 *                 {@code maxConcurrent}, soon)
 * @param counters the tenant's counters after the claim (reserved if admitted)
 */
public record Decision(boolean admitted, Optional<String> over, Optional<Instant> resetsAt, TenantCounters counters) {

    public static Decision admit(TenantCounters counters, Optional<String> over, Optional<Instant> resetsAt) {
        return new Decision(true, over, resetsAt, counters);
    }

    public static Decision refuse(String over, Instant resetsAt, TenantCounters counters) {
        return new Decision(false, Optional.of(over), Optional.of(resetsAt), counters);
    }
}
