package dev.bedrocktenant.metering.prometheus;

import java.time.Duration;
import java.util.Arrays;

/**
 * A latency histogram kept in a series' {@link PerThreadTotals}, beside its counters: one count per bucket and the
 * sum of the latencies, in slots {@code first} to {@code first + SLOTS - 1}. A request's latency is thus two adds to
 * its thread's own shard, which the series' other counts already brought into the cache.
 *
 * <p>Written by hand rather than with Micrometer's Timer: that keeps its count, total and max in cells and a ring
 * shared by all threads, and its buckets in one shared array, so every request moved about four cache lines from
 * core to core (measured with the rest of a series: {@link PerThreadTotals}). The count is not kept apart: it is the buckets' sum, so a scrape racing with a
 * request never shows a count that differs from the {@code +Inf} bucket.
 */
final class LatencyHistogram {

    /** 50 ms to 5 min: LLM calls range from a quick classification to a long generation. */
    static final Duration[] BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(300)};
    private static final long[] UPPER_BOUNDS_NANOS = Arrays.stream(BUCKETS).mapToLong(Duration::toNanos).toArray();
    /** A count per bucket, one for latencies beyond the last, and the sum. */
    static final int SLOTS = BUCKETS.length + 2;
    private static final int SUM = BUCKETS.length + 1;

    private final int first;

    /** The histogram in slots {@code first} to {@code first + SLOTS - 1} of its totals. */
    LatencyHistogram(int first) {
        this.first = first;
    }

    /** Adds a latency to the calling thread's shard: to the first bucket whose upper bound it does not exceed. */
    void record(PerThreadTotals.Shard shard, Duration latency) {
        long nanos = Math.max(0, latency.toNanos());
        int bucket = 0;
        while (bucket < UPPER_BOUNDS_NANOS.length && nanos > UPPER_BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        shard.add(first + bucket, 1);
        shard.add(first + SUM, nanos);
    }

    /** The histogram as a scrape shows it. */
    Snapshot read(PerThreadTotals totals) {
        long[] cumulative = new long[BUCKETS.length + 1];
        long count = 0;
        for (int bucket = 0; bucket <= BUCKETS.length; bucket++) {
            count += totals.count(first + bucket);
            cumulative[bucket] = count;
        }
        return new Snapshot(cumulative, totals.count(first + SUM) / 1e9);
    }

    /**
     * @param cumulative  requests at or under each bucket's upper bound, the last one ({@code +Inf}) being all of them
     * @param sumSeconds  the latencies added up
     */
    record Snapshot(long[] cumulative, double sumSeconds) {

        long count() {
            return cumulative[cumulative.length - 1];
        }
    }
}
