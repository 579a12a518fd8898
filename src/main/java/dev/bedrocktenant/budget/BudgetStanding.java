package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;

import dev.bedrocktenant.tenant.Tenant;

/**
 * Where a tenant stands against its budgets: each period's used ratio, and the level of the larger.
 *
 * @param daily   spent today / the daily budget, when it has one
 * @param monthly spent this month / the monthly budget, when it has one
 */
public record BudgetStanding(Optional<BigDecimal> daily, Optional<BigDecimal> monthly, AlertLevel level, Period period) {

    /** Ratios are exact up to 34 significant digits: far past what a gauge shows. */
    private static final MathContext RATIO = MathContext.DECIMAL128;

    public static BudgetStanding of(Tenant.Budget budget, TenantCounters counters, List<BigDecimal> thresholds) {
        Optional<BigDecimal> daily = budget.dailyUsd().map(b -> ratio(counters.spentToday(), b));
        Optional<BigDecimal> monthly = budget.monthlyUsd().map(b -> ratio(counters.spentThisMonth(), b));
        boolean monthlyLarger = monthly.isPresent() && (daily.isEmpty() || monthly.get().compareTo(daily.get()) > 0);
        BigDecimal larger = monthlyLarger ? monthly.get() : daily.orElse(BigDecimal.ZERO);
        return new BudgetStanding(daily, monthly, AlertLevel.of(larger, thresholds), monthlyLarger ? Period.MONTHLY : Period.DAILY);
    }

    /** A zero budget is used up from the start. */
    static BigDecimal ratio(BigDecimal spent, BigDecimal budget) {
        return budget.signum() == 0 ? BigDecimal.ONE : spent.divide(budget, RATIO);
    }

    public Optional<BigDecimal> ratio(Period of) {
        return of == Period.DAILY ? daily : monthly;
    }
}
