package dev.bedrocktenant.budget.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.budget.Claim;
import dev.bedrocktenant.budget.Decision;
import dev.bedrocktenant.budget.Estimate;
import dev.bedrocktenant.budget.Period;
import dev.bedrocktenant.budget.TenantCounters;
import dev.bedrocktenant.budget.TestTenant;
import dev.bedrocktenant.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis killed under two sidecars: claims are still admitted, each sidecar under its own limits, and
 * bedrock_tenant_state_store_up reads 0; Redis started again on the same port (empty: it keeps nothing): what
 * both counted meanwhile is added to it, and the gauge reads 1 again.
 */
class RedisOutageTest {

    private static final Estimate ESTIMATE = new Estimate(60, 40, new BigDecimal("0.01"));

    private RedisServer server;
    private Sidecars sidecars;

    @BeforeEach
    void start() {
        server = RedisServer.start();
        sidecars = new Sidecars(server, Duration.ofMillis(200));
    }

    @AfterEach
    void stop() {
        sidecars.close();
        server.close();
    }

    @Test
    void claimsAreAdmittedUnderEachSidecarsLimitsWhileRedisIsAwayAndAddedToItWhenItIsBack() {
        Instant now = Instant.now();
        TestTenant tenant = TestTenant.none().requestsPerMinute(3).dailyUsd("100");
        List<Sidecars.Sidecar> both = List.of(sidecars.first(), sidecars.second());
        List<Claim> admittedByRedis = both.stream().map(s -> admit(s, tenant.claim(ESTIMATE, now))).toList();
        both.forEach(s -> assertEquals(1.0, s.up()));

        server.kill();
        List<List<Claim>> admittedHere = both.stream().map(sidecar -> {
            List<Claim> claims = List.of(admit(sidecar, tenant.claim(ESTIMATE, now)), admit(sidecar, tenant.claim(ESTIMATE, now)),
                    admit(sidecar, tenant.claim(ESTIMATE, now)));
            Decision fourth = join(sidecar.store().admit(tenant.claim(ESTIMATE, now)));
            assertFalse(fourth.admitted(), "each sidecar's own requestsPerMinute");
            assertEquals(Optional.of("requestsPerMinute"), fourth.over());
            assertEquals(0.0, sidecar.up());
            return claims;
        }).toList();
        for (int i = 0; i < 2; i++) {
            // one that Redis admitted and one admitted here, settled while Redis is away
            join(both.get(i).store().settle(admittedByRedis.get(i), 50, new BigDecimal("0.007"), now));
            join(both.get(i).store().settle(admittedHere.get(i).get(0), 70, new BigDecimal("0.004"), now));
        }

        server.restart();
        await().atMost(10, TimeUnit.SECONDS).until(() -> sidecars.first().up() == 1.0 && sidecars.second().up() == 1.0);
        // the sum of both sidecars' counts: 3 requests each; 3 × 100 tokens less 30 and 50 settled; in flight 3 less 2
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertCounters(tenant, now, 6, 440, 2, "0.02", "0.022"));

        // the rest, admitted while Redis was away, settled now that it is back
        for (int i = 0; i < 2; i++) {
            join(both.get(i).store().settle(admittedHere.get(i).get(1), 100, new BigDecimal("0.01"), now));
            join(both.get(i).store().settle(admittedHere.get(i).get(2), 100, new BigDecimal("0.01"), now));
        }
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertCounters(tenant, now, 6, 440, 0, "0", "0.062"));
    }

    @Test
    void whileRedisIsAwayABudgetStartsFromTheSpendRedisLastToldAndCannotBeReset() {
        Instant now = Instant.now();
        TestTenant tenant = TestTenant.none().dailyUsd("1");
        Sidecars.Sidecar sidecar = sidecars.first();
        Claim spent = admit(sidecar, tenant.claim(ESTIMATE, now));
        join(sidecar.store().settle(spent, 100, new BigDecimal("0.9"), now));

        server.kill();
        admit(sidecar, tenant.claim(new Estimate(1, 1, new BigDecimal("0.05")), now));
        admit(sidecar, tenant.claim(new Estimate(1, 1, new BigDecimal("0.05")), now));
        Decision over = join(sidecar.store().admit(tenant.claim(new Estimate(1, 1, new BigDecimal("0.05")), now)));
        assertEquals(Optional.of("dailyUsd"), over.over(), "0.9 spent and 0.1 reserved: the budget is used up");
        assertThrows(CompletionException.class, () -> join(sidecar.store().reset(tenant.tenant(), Optional.of(Period.DAILY), now)));
    }

    private void assertCounters(TestTenant tenant, Instant at, long requests, long tokens, long inFlight, String reserved,
                                String spent) {
        TenantCounters counters = join(sidecars.first().store().counters(tenant.tenant(), at));
        assertEquals(requests, counters.requests(), "requests");
        assertEquals(tokens, counters.tokens(), "tokens");
        assertEquals(inFlight, counters.inFlight(), "in flight");
        assertEquals(0, new BigDecimal(reserved).compareTo(counters.reservedToday()), "reserved " + counters.reservedToday());
        assertEquals(0, new BigDecimal(spent).compareTo(counters.spentToday()), "spent today " + counters.spentToday());
        assertEquals(0, new BigDecimal(spent).compareTo(counters.spentThisMonth()), "spent this month");
    }

    private static Claim admit(Sidecars.Sidecar sidecar, Claim claim) {
        assertTrue(join(sidecar.store().admit(claim)).admitted());
        return claim;
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
