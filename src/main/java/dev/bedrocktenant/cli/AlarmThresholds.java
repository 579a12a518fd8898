package dev.bedrocktenant.cli;

import java.math.BigDecimal;
import java.util.Optional;

import dev.bedrocktenant.tenant.Tenant;

/**
 * Where each alarm's threshold comes from: a value given on the command line, the same for every tenant, else
 * the tenant's own limit times {@code ratio}, or its daily budget times {@code budgetShare} for the cost in 5
 * minutes. A tenant with neither gets no alarm of that kind.
 */
record AlarmThresholds(BigDecimal ratio, BigDecimal budgetShare, Optional<BigDecimal> requestsPerMinute,
                       Optional<BigDecimal> tokensPerMinute, Optional<BigDecimal> costPer5m) {

    /** @param source how the value was found, for the table and the alarm's description */
    record Threshold(BigDecimal value, String source) {

        String plain() {
            return value.stripTrailingZeros().toPlainString();
        }
    }

    Optional<Threshold> of(Tenant tenant, AlarmKind kind) {
        Optional<Tenant.RateLimits> limits = tenant.limits();
        return switch (kind) {
            case REQUESTS_PER_MINUTE -> given(requestsPerMinute, kind)
                    .or(() -> share(ratio, limits.flatMap(Tenant.RateLimits::requestsPerMinute).map(BigDecimal::valueOf), kind));
            case TOKENS_PER_MINUTE -> given(tokensPerMinute, kind)
                    .or(() -> share(ratio, limits.flatMap(Tenant.RateLimits::tokensPerMinute).map(BigDecimal::valueOf), kind));
            case COST_5M -> given(costPer5m, kind)
                    .or(() -> share(budgetShare, tenant.budget().flatMap(Tenant.Budget::dailyUsd), kind));
        };
    }

    /** Why a tenant has no alarm of this kind. */
    static String missing(AlarmKind kind) {
        return "no " + fileField(kind) + " in the tenants file, no " + option(kind);
    }

    private static Optional<Threshold> given(Optional<BigDecimal> value, AlarmKind kind) {
        return value.map(v -> new Threshold(v, option(kind)));
    }

    private static Optional<Threshold> share(BigDecimal share, Optional<BigDecimal> base, AlarmKind kind) {
        return base.map(b -> new Threshold(b.multiply(share),
                share.movePointRight(2).stripTrailingZeros().toPlainString() + "% of " + fileField(kind) + " " + b.toPlainString()));
    }

    private static String fileField(AlarmKind kind) {
        return switch (kind) {
            case REQUESTS_PER_MINUTE -> "limits.requestsPerMinute";
            case TOKENS_PER_MINUTE -> "limits.tokensPerMinute";
            case COST_5M -> "budget.dailyUsd";
        };
    }

    private static String option(AlarmKind kind) {
        return "--" + (kind == AlarmKind.COST_5M ? "cost-per-5m" : kind.id);
    }
}
