package dev.bedrocktenant.metering.prometheus;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few running totals (counts, and one exact decimal) that many threads add to and a scrape reads. Each
 * thread adds to a shard of its own, with plain stores (it is the shard's only writer); a read adds the
 * shards up. Counters and totals only grow, so a read that races with an add sees it or not, never a torn sum.
 *
 * <p>Written by hand rather than with Micrometer's counters: those sit on {@code LongAdder}/{@code DoubleAdder},
 * whose cells are shared by threads (at most one cell per CPU, while Vert.x runs two event loops per CPU), so
 * every request's handful of increments moved cache lines from core to core, the largest part of what
 * Prometheus cost metering (bench/README.md). The exact cost had the same problem in a compare-and-set loop.
 * Recording a Converse request's series (these totals and {@link LatencyHistogram}s) against Micrometer's Counters
 * and Timers, medians of 5 JVMs in each of two runs ({@code ONLY=Prometheus bash bench/metering-micro.sh},
 * 2026-12-03): one thread 40–46 ns against 141–149 ns, 100–104 ns a request (0.08 % of the proxy's ~130 µs;
 * run-to-run noise 4 ns); two threads at once 41–102 ns against 336–767 ns, 284–726 ns a request (0.2–0.55 %)
 * in four runs, the contended figure varying most.
 * A thread's shard outlives the thread: its counts stay in the totals.
 */
final class PerThreadTotals {

    private final int counts;
    private final List<Shard> shards = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Shard> own = ThreadLocal.withInitial(this::newShard);

    /**
     * Slots left unused before and after a shard's own, a cache line's worth (64 bytes) of each: the garbage
     * collector packs long-lived objects together, and two threads' shards sharing a line would move it between
     * cores on every add, as the shared cells did. Longs take 8 bytes; references as few as 4 (compressed).
     */
    private static final int PAD = 8;
    private static final int REFERENCE_PAD = 16;

    /** One thread's part of the totals: only that thread adds to it. */
    static final class Shard {
        private final AtomicLongArray counts;
        private final AtomicReferenceArray<BigDecimal> decimal =
                new AtomicReferenceArray<>(REFERENCE_PAD + 1 + REFERENCE_PAD);

        private Shard(int counts) {
            this.counts = new AtomicLongArray(PAD + counts + PAD);
            decimal.set(REFERENCE_PAD, BigDecimal.ZERO);
        }

        void add(int count, long amount) {
            int slot = PAD + count;
            counts.lazySet(slot, counts.get(slot) + amount); // the only writer: no read-modify-write
        }

        void add(BigDecimal amount) {
            decimal.lazySet(REFERENCE_PAD, decimal.get(REFERENCE_PAD).add(amount));
        }
    }

    /** Totals with {@code counts} counts (indexed from 0) and one decimal. */
    PerThreadTotals(int counts) {
        this.counts = counts;
    }

    private Shard newShard() {
        Shard shard = new Shard(counts);
        shards.add(shard);
        return shard;
    }

    /** The calling thread's shard, for several adds in a row (one thread-local lookup). */
    Shard mine() {
        return own.get();
    }

    void add(int count, long amount) {
        own.get().add(count, amount);
    }

    long count(int count) {
        long sum = 0;
        for (Shard shard : shards) {
            sum += shard.counts.get(PAD + count);
        }
        return sum;
    }

    BigDecimal decimal() {
        BigDecimal sum = BigDecimal.ZERO;
        for (Shard shard : shards) {
            sum = sum.add(shard.decimal.get(REFERENCE_PAD));
        }
        return sum;
    }
}
