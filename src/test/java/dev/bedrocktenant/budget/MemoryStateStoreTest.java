package dev.bedrocktenant.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import dev.bedrocktenant.tenant.Tenant;
import org.junit.jupiter.api.Test;

/**
 * The reference store against the contract (one instance, so both handles are the same), and what only it
 * shows directly: how its windows roll.
 */
class MemoryStateStoreTest extends StateStoreContract {

    @Override
    StateStore[] stores() {
        return new StateStore[] {store, store};
    }

    private static final Instant NOON = Instant.parse("2026-12-03T12:00:10Z");

    private final MemoryStateStore store = new MemoryStateStore();

    private static Claim claim(Tenant.RateLimits limits, Tenant.Budget budget, boolean enforce, long tokens, String usd,
                               Instant at) {
        return new Claim("acme", limits, budget, enforce, new Estimate(tokens, 0, new BigDecimal(usd)), at,
                Period.minuteOf(at), Period.DAILY.keyOf(at), Period.MONTHLY.keyOf(at));
    }

    private static Tenant.RateLimits rpm(long rpm) {
        return new Tenant.RateLimits(Optional.of(rpm), Optional.empty(), Optional.empty());
    }

    private static final Tenant.Budget NO_BUDGET = new Tenant.Budget(Optional.empty(), Optional.empty());

    private Decision admit(Claim claim) {
        return store.admit(claim).toCompletableFuture().join();
    }

    @Test
    void aNewMinuteStartsFromNothingWhileReservationsInFlightCarryOver() {
        Claim first = claim(rpm(1), new Tenant.Budget(Optional.of(new BigDecimal("10")), Optional.empty()), true, 100, "4",
                NOON);
        assertTrue(admit(first).admitted());
        Decision again = admit(claim(rpm(1), NO_BUDGET, true, 100, "0", NOON.plusSeconds(30)));
        assertFalse(again.admitted());
        assertEquals(Optional.of(LimitCheck.REQUESTS_PER_MINUTE), again.over());
        assertEquals(Optional.of(Instant.parse("2026-12-03T12:01:00Z")), again.resetsAt());

        Decision nextMinute = admit(claim(rpm(1), NO_BUDGET, true, 100, "0", NOON.plusSeconds(60)));
        assertTrue(nextMinute.admitted());
        assertEquals(1, nextMinute.counters().requests());
        assertEquals(new BigDecimal("4"), nextMinute.counters().reservedToday(), "the first claim still holds its 4 USD");

        // the first claim ends in the next minute: its tokens counted in its own minute, gone; its spend counts today
        TenantCounters settled = store.settle(first, 30, new BigDecimal("1.25"), NOON.plusSeconds(70))
                .toCompletableFuture().join();
        assertEquals(100, settled.tokens(), "the new minute keeps only the second claim's tokens");
        assertEquals(0, settled.reservedToday().signum());
        assertEquals(new BigDecimal("1.25"), settled.spentToday());
        assertEquals(1, settled.inFlight());
    }

    @Test
    void aBudgetHasRoomWhileSpentPlusReservedIsUnderIt() {
        Tenant.Budget ten = new Tenant.Budget(Optional.of(new BigDecimal("10")), Optional.empty());
        Tenant.RateLimits none = new Tenant.RateLimits(Optional.empty(), Optional.empty(), Optional.empty());
        for (int i = 0; i < 5; i++) {
            assertTrue(admit(claim(none, ten, true, 0, "2", NOON)).admitted(), "claim " + i);
        }
        Decision sixth = admit(claim(none, ten, true, 0, "2", NOON));
        assertEquals(Optional.of(LimitCheck.DAILY_USD), sixth.over());
        assertEquals(Optional.of(Instant.parse("2026-12-04T00:00:00Z")), sixth.resetsAt());

        Decision alertOnly = admit(claim(none, ten, false, 0, "2", NOON));
        assertTrue(alertOnly.admitted(), "an alert-only claim goes through, counted");
        assertEquals(Optional.of(LimitCheck.DAILY_USD), alertOnly.over());
        assertEquals(new BigDecimal("12"), alertOnly.counters().reservedToday());
    }

    @Test
    void aNewDayForgetsYesterdaysSpendButNotTheMonths() {
        Tenant.RateLimits none = new Tenant.RateLimits(Optional.empty(), Optional.empty(), Optional.empty());
        Claim claim = claim(none, NO_BUDGET, true, 0, "1", NOON);
        admit(claim);
        store.settle(claim, 0, new BigDecimal("3"), NOON).toCompletableFuture().join();
        TenantCounters tomorrow = store.counters("acme", NOON.plusSeconds(86_400)).toCompletableFuture().join();
        assertEquals(0, tomorrow.spentToday().signum());
        assertEquals(new BigDecimal("3"), tomorrow.spentThisMonth());
        TenantCounters nextMonth = store.counters("acme", Instant.parse("2027-01-01T00:00:00Z")).toCompletableFuture().join();
        assertEquals(0, nextMonth.spentThisMonth().signum());
    }

    @Test
    void eachLevelChangeIsReportedOnce() {
        assertEquals(Optional.empty(), store.recordLevel("acme", AlertLevel.GREEN).toCompletableFuture().join());
        assertEquals(Optional.of(AlertLevel.GREEN), store.recordLevel("acme", AlertLevel.RED).toCompletableFuture().join());
        assertEquals(Optional.empty(), store.recordLevel("acme", AlertLevel.RED).toCompletableFuture().join());
    }
}
