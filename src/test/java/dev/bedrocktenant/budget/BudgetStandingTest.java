package dev.bedrocktenant.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import dev.bedrocktenant.tenant.Tenant;
import org.junit.jupiter.api.Test;

class BudgetStandingTest {

    private static final List<BigDecimal> THRESHOLDS = List.of(new BigDecimal("0.7"), new BigDecimal("0.9"), BigDecimal.ONE);

    @Test
    void theLevelIsThatOfThePeriodFurtherIntoItsBudget() {
        // 6.99 of 10 a day is just short of yellow; 95 of 100 a month is orange
        BudgetStanding standing = standing("10", "100", "6.99", "95");
        assertEquals(Period.MONTHLY, standing.period());
        assertEquals(AlertLevel.ORANGE, standing.level());
        assertEquals(0, new BigDecimal("0.699").compareTo(standing.ratio(Period.DAILY).orElseThrow()));
        assertEquals(0, new BigDecimal("0.95").compareTo(standing.ratio(Period.MONTHLY).orElseThrow()));

        BudgetStanding daily = standing("3", "1000", "2.7", "2.7");
        assertEquals(Period.DAILY, daily.period());
        assertEquals(AlertLevel.ORANGE, daily.level());
    }

    @Test
    void aThresholdIsReachedAtItsExactSpendNotBefore() {
        assertEquals(AlertLevel.YELLOW, standing("0.3", null, "0.21", "0").level());
        assertEquals(AlertLevel.GREEN, standing("0.3", null, "0.209999999999", "0").level());
        assertEquals(AlertLevel.RED, standing(null, "7", "0", "7.000000000001").level());
    }

    @Test
    void aZeroBudgetIsUsedUpFromTheStart() {
        BudgetStanding standing = standing("0", "50", "0", "0");
        assertEquals(AlertLevel.RED, standing.level());
        assertEquals(Period.DAILY, standing.period());
        assertEquals(0, BigDecimal.ONE.compareTo(standing.ratio(Period.DAILY).orElseThrow()));
        // with red above a ratio of 1, a zero budget is orange, as its ratio of 1 says
        List<BigDecimal> redAbove = List.of(new BigDecimal("0.5"), BigDecimal.ONE, new BigDecimal("1.2"));
        Tenant.Budget zero = new Tenant.Budget(Optional.of(BigDecimal.ZERO), Optional.empty());
        assertEquals(AlertLevel.ORANGE, BudgetStanding.of(zero, counters("0", "0"), redAbove).level());
    }

    @Test
    void withoutABudgetForAPeriodItHasNoRatio() {
        BudgetStanding standing = standing(null, "20", "5", "5");
        assertEquals(Optional.empty(), standing.ratio(Period.DAILY));
        assertEquals(Period.MONTHLY, standing.period());
        assertEquals(AlertLevel.GREEN, standing.level());
    }

    private static BudgetStanding standing(String dailyUsd, String monthlyUsd, String spentToday, String spentThisMonth) {
        Tenant.Budget budget = new Tenant.Budget(Optional.ofNullable(dailyUsd).map(BigDecimal::new),
                Optional.ofNullable(monthlyUsd).map(BigDecimal::new));
        return BudgetStanding.of(budget, counters(spentToday, spentThisMonth), THRESHOLDS);
    }

    private static TenantCounters counters(String spentToday, String spentThisMonth) {
        return new TenantCounters(0, 0, 0, 0, new BigDecimal(spentToday), BigDecimal.ZERO, new BigDecimal(spentThisMonth),
                BigDecimal.ZERO);
    }
}
