package dev.bedrocktenant.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} must do, as {@link MemoryStateStore} does it. {@link #stores()} gives two
 * handles on one shared state (two sidecars' stores over one Redis; the memory store twice), and concurrent
 * claims are spread over both.
 */
abstract class StateStoreContract {

    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    /** Two handles on one state. */
    abstract StateStore[] stores();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void concurrentClaimsTakeExactlyTheRequestsPerMinute() {
        TestTenant limits = TestTenant.none().requestsPerMinute(7);
        List<Decision> decisions = concurrently(40, i -> limits.claim(new Estimate(10, 10, BigDecimal.ZERO), NOW));
        assertEquals(7, admitted(decisions));
        Decision refused = decisions.stream().filter(d -> !d.admitted()).findFirst().orElseThrow();
        assertEquals(Optional.of("requestsPerMinute"), refused.over());
        assertEquals(Optional.of(Period.endOfMinute(NOW)), refused.resetsAt());
        assertEquals(7, refused.counters().requests());
    }

    @Test
    void concurrentClaimsTakeExactlyTheTokensPerMinute() {
        TestTenant limits = TestTenant.none().tokensPerMinute(1000);
        // used + reserved under 1000 admits: 0, 300, 600, 900; the fourth takes it to 1200
        List<Decision> decisions = concurrently(20, i -> limits.claim(new Estimate(100, 200, BigDecimal.ZERO), NOW));
        assertEquals(4, admitted(decisions));
        assertTrue(decisions.stream().filter(d -> !d.admitted()).allMatch(d -> d.over().equals(Optional.of("tokensPerMinute"))));
    }

    @Test
    void concurrentClaimsTakeExactlyTheConcurrencyAndASettledOneMakesRoom() {
        TestTenant limits = TestTenant.none().maxConcurrent(3);
        List<Claim> claims = new ArrayList<>();
        List<Decision> decisions = concurrently(20, i -> {
            Claim claim = limits.claim(new Estimate(1, 1, BigDecimal.ZERO), NOW);
            synchronized (claims) {
                claims.add(claim);
            }
            return claim;
        });
        assertEquals(3, admitted(decisions));
        assertEquals(3, join(stores()[0].counters(limits.tenant(), NOW)).inFlight());
        Decision refused = decisions.stream().filter(d -> !d.admitted()).findFirst().orElseThrow();
        assertEquals(Optional.of("maxConcurrent"), refused.over());

        Claim any = claims.get(0);
        join(stores()[1].settle(any, 2, BigDecimal.ZERO, NOW));
        assertTrue(join(stores()[0].admit(limits.claim(new Estimate(1, 1, BigDecimal.ZERO), NOW))).admitted());
        assertFalse(join(stores()[1].admit(limits.claim(new Estimate(1, 1, BigDecimal.ZERO), NOW))).admitted());
    }

    /**
     * Amounts past 2^53 units of 10^-12 USD (about 9007 USD), where a double could not tell the budget's last
     * digit: four claims of 2500.000000000001 commit 10000.000000000004, under 10000.000000000005 by 10^-12.
     */
    @Test
    void concurrentClaimsTakeExactlyTheDailyBudgetToTheLastDigit() {
        TestTenant limits = TestTenant.none().dailyUsd("10000.000000000005");
        List<Decision> decisions = concurrently(12, i -> limits.claim(new Estimate(1, 1, new BigDecimal("2500.000000000001")), NOW));
        assertEquals(5, admitted(decisions));
        Decision refused = decisions.stream().filter(d -> !d.admitted()).findFirst().orElseThrow();
        assertEquals(Optional.of("dailyUsd"), refused.over());
        assertEquals(Optional.of(Period.DAILY.endOf(NOW)), refused.resetsAt());
        assertEquals(0, new BigDecimal("12500.000000000005").compareTo(refused.counters().reservedToday()));

        TestTenant exactly = TestTenant.none().dailyUsd("10000.000000000004");
        assertEquals(4, admitted(concurrently(12, i -> exactly.claim(new Estimate(1, 1, new BigDecimal("2500.000000000001")), NOW))));
    }

    @Test
    void theMonthlyBudgetCountsWhatWasSpentAndWhatIsReserved() {
        TestTenant limits = TestTenant.none().monthlyUsd("1");
        Claim first = limits.claim(new Estimate(1, 1, new BigDecimal("0.6")), NOW);
        assertTrue(join(stores()[0].admit(first)).admitted());
        join(stores()[0].settle(first, 2, new BigDecimal("0.7"), NOW));
        assertTrue(join(stores()[1].admit(limits.claim(new Estimate(1, 1, new BigDecimal("0.3")), NOW))).admitted());
        Decision over = join(stores()[0].admit(limits.claim(new Estimate(1, 1, new BigDecimal("0.2")), NOW)));
        assertEquals(Optional.of("monthlyUsd"), over.over());
        assertEquals(Optional.of(Period.MONTHLY.endOf(NOW)), over.resetsAt());
    }

    @Test
    void anAlertOnlyTenantIsAdmittedOverItsLimitWithTheLimitNamed() {
        TestTenant limits = TestTenant.none().requestsPerMinute(1).alertOnly();
        assertEquals(Optional.empty(), join(stores()[0].admit(limits.claim(Estimate.NOTHING, NOW))).over());
        Decision over = join(stores()[1].admit(limits.claim(Estimate.NOTHING, NOW)));
        assertTrue(over.admitted());
        assertEquals(Optional.of("requestsPerMinute"), over.over());
        assertEquals(2, over.counters().requests());
    }

    @Test
    void settlingReplacesTheEstimateExactly() {
        TestTenant limits = TestTenant.none().tokensPerMinute(1_000_000).dailyUsd("100");
        Claim claim = limits.claim(new Estimate(600, 400, new BigDecimal("0.012345678901")), NOW);
        Decision admitted = join(stores()[0].admit(claim));
        assertEquals(1000, admitted.counters().tokens());
        assertEquals(0, new BigDecimal("0.012345678901").compareTo(admitted.counters().reservedToday()));
        assertEquals(1, admitted.counters().inFlight());

        TenantCounters settled = join(stores()[1].settle(claim, 437, new BigDecimal("0.009876543211"), NOW.plusSeconds(1)));
        assertEquals(437, settled.tokens());
        assertEquals(1, settled.requests());
        assertEquals(0, settled.inFlight());
        assertEquals(0, settled.reservedToday().signum());
        assertEquals(0, settled.reservedThisMonth().signum());
        assertEquals(0, new BigDecimal("0.009876543211").compareTo(settled.spentToday()));
        assertEquals(0, new BigDecimal("0.009876543211").compareTo(settled.spentThisMonth()));
        assertEquals(settled, join(stores()[0].counters(limits.tenant(), NOW.plusSeconds(1))));
    }

    @Test
    void aNewMinuteHasRoomAgainAndSpendCountsInTheDayAndMonthTheRequestEnded() {
        Instant endOfMonth = Period.MONTHLY.endOf(NOW).minusSeconds(30);
        Instant nextMonth = endOfMonth.plusSeconds(40);
        TestTenant limits = TestTenant.none().requestsPerMinute(1).dailyUsd("5");
        Claim late = limits.claim(new Estimate(10, 10, new BigDecimal("1")), endOfMonth);
        assertTrue(join(stores()[0].admit(late)).admitted());
        assertFalse(join(stores()[1].admit(limits.claim(Estimate.NOTHING, endOfMonth))).admitted());

        TenantCounters settled = join(stores()[1].settle(late, 50, new BigDecimal("2"), nextMonth));
        assertEquals(0, settled.requests(), "the new minute starts from nothing");
        assertEquals(0, settled.tokens(), "tokens count in the minute the claim was made");
        assertEquals(0, new BigDecimal("2").compareTo(settled.spentToday()));
        assertEquals(0, new BigDecimal("2").compareTo(settled.spentThisMonth()));
        assertTrue(join(stores()[0].admit(limits.claim(Estimate.NOTHING, nextMonth))).admitted());
        TenantCounters nextDay = join(stores()[0].counters(limits.tenant(), Period.DAILY.endOf(nextMonth).plusSeconds(1)));
        assertEquals(0, nextDay.spentToday().signum());
        assertEquals(0, new BigDecimal("2").compareTo(nextDay.spentThisMonth()));
    }

    @Test
    void resetForgetsThePeriodsSpendButNotWhatIsInFlight() {
        TestTenant limits = TestTenant.none().requestsPerMinute(100).dailyUsd("5");
        Claim done = limits.claim(new Estimate(1, 1, new BigDecimal("1")), NOW);
        join(stores()[0].admit(done));
        join(stores()[0].settle(done, 2, new BigDecimal("3"), NOW));
        join(stores()[1].admit(limits.claim(new Estimate(1, 1, new BigDecimal("0.5")), NOW)));

        TenantCounters daily = join(stores()[1].reset(limits.tenant(), Optional.of(Period.DAILY), NOW));
        assertEquals(0, daily.spentToday().signum());
        assertEquals(0, new BigDecimal("3").compareTo(daily.spentThisMonth()));
        assertEquals(0, new BigDecimal("0.5").compareTo(daily.reservedToday()));
        assertEquals(2, daily.requests());

        TenantCounters minute = join(stores()[0].reset(limits.tenant(), Optional.empty(), NOW));
        assertEquals(0, minute.requests());
        assertEquals(0, minute.tokens());
        assertEquals(1, minute.inFlight());
    }

    @Test
    void eachLevelChangeIsReportedOnceAcrossStores() {
        String tenant = "levels-" + UUID.randomUUID();
        for (AlertLevel level : List.of(AlertLevel.RED, AlertLevel.YELLOW, AlertLevel.ORANGE)) {
            List<CompletableFuture<Optional<AlertLevel>>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                StateStore store = stores()[i % 2];
                calls.add(CompletableFuture.supplyAsync(() -> store.recordLevel(tenant, level), callers)
                        .thenCompose(Function.identity()));
            }
            long told = calls.stream().map(StateStoreContract::join).filter(Optional::isPresent).count();
            assertEquals(1, told, "callers told of the change to " + level);
        }
        assertEquals(Optional.of(AlertLevel.ORANGE), join(stores()[1].recordLevel(tenant, AlertLevel.GREEN)));
        assertEquals(Optional.empty(), join(stores()[0].recordLevel(tenant, AlertLevel.GREEN)));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** 20 s into the current minute: a test that moves on a second must not cross into the next minute's counts. */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(20);

    /** n claims made at once, from several threads, alternately on each store. */
    List<Decision> concurrently(int n, Function<Integer, Claim> claim) {
        List<CompletableFuture<Decision>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            StateStore store = stores()[i % 2];
            calls.add(CompletableFuture.supplyAsync(() -> store.admit(claim.apply(index)), callers).thenCompose(Function.identity()));
        }
        return calls.stream().map(StateStoreContract::join).toList();
    }

    static long admitted(List<Decision> decisions) {
        return decisions.stream().filter(Decision::admitted).count();
    }

    static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS).join();
    }
}
