package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import dev.bedrocktenant.budget.redis.RedisStateConfig;
import dev.bedrocktenant.budget.redis.RedisStateStore;
import dev.bedrocktenant.tenant.Tenant;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * What enforcement adds to one request: the wait for its admission (before it is forwarded) and the time its
 * settlement takes (after the response, off its path), one request at a time, for a tenant with every limit
 * and both budgets. {@code memory}, or {@code redis <uri>}. Prints microseconds: median, 99th percentile and
 * mean of each, over 6 rounds of 20,000 requests after 4 rounds of warm-up; bench/admission-latency.sh runs
 * several JVMs.
 */
public final class AdmissionLatencyBench {

    private static final int ROUNDS = 10;
    private static final int WARMUP = 4;
    private static final int REQUESTS = 20_000;

    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx();
        StateStore store = args[0].equals("redis") ? redis(vertx, args[1]) : new MemoryStateStore();
        Tenant.RateLimits limits = new Tenant.RateLimits(Optional.of(1_000_000_000L), Optional.of(Long.MAX_VALUE / 2),
                Optional.of(1_000L));
        Tenant.Budget budget = new Tenant.Budget(Optional.of(new BigDecimal("1000000")), Optional.of(new BigDecimal("1000000")));
        Estimate estimate = new Estimate(120, 1024, new BigDecimal("0.00131"));
        long[] admit = new long[REQUESTS * (ROUNDS - WARMUP)];
        long[] settle = new long[admit.length];
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < REQUESTS; i++) {
                Instant now = Instant.now();
                Claim claim = new Claim("bench-" + (i & 7), limits, budget, true, estimate, now, Period.minuteOf(now),
                        Period.DAILY.keyOf(now), Period.MONTHLY.keyOf(now));
                long start = System.nanoTime();
                if (!store.admit(claim).toCompletableFuture().join().admitted()) {
                    throw new IllegalStateException("refused: the bench's limits are too low");
                }
                long admitted = System.nanoTime();
                store.settle(claim, 160, new BigDecimal("0.0000835"), Instant.now()).toCompletableFuture().join();
                if (round >= WARMUP) {
                    int at = (round - WARMUP) * REQUESTS + i;
                    admit[at] = admitted - start;
                    settle[at] = System.nanoTime() - admitted;
                }
            }
        }
        System.out.printf("%s admit %s settle %s%n", args[0], summary(admit), summary(settle));
        System.exit(0); // Mutiny's timeout scheduler would keep the JVM
    }

    private static StateStore redis(Vertx vertx, String uri) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri).setMaxPoolWaiting(1000));
        RedisStateStore store = new RedisStateStore(client, new RedisStateConfig() {
            public Duration timeout() {
                return Duration.ofSeconds(1);
            }

            public Duration checkInterval() {
                return Duration.ofSeconds(1);
            }

            public Duration inFlightTtl() {
                return Duration.ofMinutes(15);
            }

            public String keyPrefix() {
                return "bench";
            }
        }, vertx.getDelegate(), new SimpleMeterRegistry());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!store.where().equals("redis")) { // away until Redis first answers
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis at " + uri + " does not answer");
            }
            Thread.onSpinWait();
        }
        return store;
    }

    /** median / p99 / mean in microseconds */
    private static String summary(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        return String.format("%.1f %.1f %.1f", sorted[sorted.length / 2] / 1000.0,
                sorted[(int) (sorted.length * 0.99)] / 1000.0, mean / 1000.0);
    }
}
