package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;

import dev.bedrocktenant.tenant.Tenant;

/**
 * Where a tenant stands against its budgets: each period's spend beside its budget, and the level of the
 * further of the two.
 *
 * <p>Computed after every metered request, so it compares by multiplication and divides only when a ratio is
 * asked for (a scrape, an alert, the admin view): an exact division per request was a fifth of the hot path's
 * allocation.
 *
 * @param daily   today's spend and the daily budget, when it has one
 * @param monthly this month's spend and the monthly budget, when it has one
 */
public record BudgetStanding(Optional<Used> daily, Optional<Used> monthly, AlertLevel level, Period period) {

    /** Ratios are exact up to 34 significant digits: far past what a gauge shows. */
    private static final MathContext RATIO = MathContext.DECIMAL128;

    /** A period's spend and budget. */
    public record Used(BigDecimal spentUsd, BigDecimal budgetUsd) {

        /** spent / budget; a zero budget is used up from the start. */
        public BigDecimal ratio() {
            return budgetUsd.signum() == 0 ? BigDecimal.ONE : spentUsd.divide(budgetUsd, RATIO);
        }

        /** Whether spent / budget ≥ threshold, without dividing. */
        boolean reached(BigDecimal threshold) {
            return budgetUsd.signum() == 0 ? BigDecimal.ONE.compareTo(threshold) >= 0
                    : spentUsd.compareTo(threshold.multiply(budgetUsd)) >= 0;
        }

        /** Whether this ratio is larger than the other's: a/b > c/d ⇔ a·d > c·b for budgets above zero. */
        boolean isFurtherThan(Used other) {
            if (budgetUsd.signum() == 0 || other.budgetUsd.signum() == 0) {
                return ratio().compareTo(other.ratio()) > 0;
            }
            return spentUsd.multiply(other.budgetUsd).compareTo(other.spentUsd.multiply(budgetUsd)) > 0;
        }
    }

    public static BudgetStanding of(Tenant.Budget budget, TenantCounters counters, List<BigDecimal> thresholds) {
        Optional<Used> daily = budget.dailyUsd().map(b -> new Used(counters.spentToday(), b));
        Optional<Used> monthly = budget.monthlyUsd().map(b -> new Used(counters.spentThisMonth(), b));
        boolean monthlyFurther = monthly.isPresent() && (daily.isEmpty() || monthly.get().isFurtherThan(daily.get()));
        Optional<Used> further = monthlyFurther ? monthly : daily;
        AlertLevel level = further.map(used -> AlertLevel.of(used::reached, thresholds)).orElse(AlertLevel.GREEN);
        return new BudgetStanding(daily, monthly, level, monthlyFurther ? Period.MONTHLY : Period.DAILY);
    }

    /** The period's spent / budget, when it has a budget. */
    public Optional<BigDecimal> ratio(Period of) {
        return (of == Period.DAILY ? daily : monthly).map(Used::ratio);
    }
}
