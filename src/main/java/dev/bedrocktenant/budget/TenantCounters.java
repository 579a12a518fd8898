package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant's counters as one store sees them at one instant: its current minute's requests and tokens
 * (settled plus reserved), its in-flight requests, and what it spent and has reserved in the current day
 * and month.
 */
public record TenantCounters(long minute, long requests, long tokens, long inFlight,
                             BigDecimal spentToday, BigDecimal reservedToday,
                             BigDecimal spentThisMonth, BigDecimal reservedThisMonth) {

    public static TenantCounters empty(Instant at) {
        return new TenantCounters(Period.minuteOf(at), 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO);
    }

    public BigDecimal spent(Period period) {
        return period == Period.DAILY ? spentToday : spentThisMonth;
    }
}
