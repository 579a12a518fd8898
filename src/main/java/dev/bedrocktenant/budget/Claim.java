package dev.bedrocktenant.budget;

import java.time.Instant;
import java.util.Optional;

import dev.bedrocktenant.tenant.Tenant;

/**
 * One request's claim on its tenant's limits and budgets: what it counts against (the minute, day and month
 * it arrived in) and what it reserves.
 *
 * @param enforce false: admitted whatever the counters say (alert-only), but counted all the same
 */
public record Claim(String tenant, Tenant.RateLimits limits, Tenant.Budget budget, boolean enforce,
                    Estimate estimate, Instant at, long minute, String day, String month) {

    public static Claim of(Tenant tenant, Estimate estimate, Instant at) {
        return new Claim(tenant.id(),
                tenant.limits().orElse(new Tenant.RateLimits(Optional.empty(), Optional.empty(), Optional.empty())),
                tenant.budget().orElse(new Tenant.Budget(Optional.empty(), Optional.empty())),
                tenant.enforce(), estimate, at, Period.minuteOf(at), Period.DAILY.keyOf(at), Period.MONTHLY.keyOf(at));
    }
}
