package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import dev.bedrocktenant.tenant.Tenant;

/** A tenant of its own (a fresh id each time) with the limits a test gives it, and its claims. */
public record TestTenant(String tenant, Tenant.RateLimits limits, Tenant.Budget budget, boolean enforce) {

    public static TestTenant none() {
        return new TestTenant("tenant-" + UUID.randomUUID(), new Tenant.RateLimits(Optional.empty(), Optional.empty(), Optional.empty()),
                new Tenant.Budget(Optional.empty(), Optional.empty()), true);
    }

    public TestTenant requestsPerMinute(long n) {
        return new TestTenant(tenant, new Tenant.RateLimits(Optional.of(n), limits.tokensPerMinute(), limits.maxConcurrent()), budget, enforce);
    }

    public TestTenant tokensPerMinute(long n) {
        return new TestTenant(tenant, new Tenant.RateLimits(limits.requestsPerMinute(), Optional.of(n), limits.maxConcurrent()), budget, enforce);
    }

    public TestTenant maxConcurrent(long n) {
        return new TestTenant(tenant, new Tenant.RateLimits(limits.requestsPerMinute(), limits.tokensPerMinute(), Optional.of(n)), budget, enforce);
    }

    public TestTenant dailyUsd(String usd) {
        return new TestTenant(tenant, limits, new Tenant.Budget(Optional.of(new BigDecimal(usd)), budget.monthlyUsd()), enforce);
    }

    public TestTenant monthlyUsd(String usd) {
        return new TestTenant(tenant, limits, new Tenant.Budget(budget.dailyUsd(), Optional.of(new BigDecimal(usd))), enforce);
    }

    public TestTenant alertOnly() {
        return new TestTenant(tenant, limits, budget, false);
    }

    public Claim claim(Estimate estimate, Instant at) {
        return new Claim(tenant, limits, budget, enforce, estimate, at, Period.minuteOf(at), Period.DAILY.keyOf(at),
                Period.MONTHLY.keyOf(at));
    }
}
