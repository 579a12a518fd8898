package dev.bedrocktenant.metering.cloudwatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.bedrocktenant.usage.Usage;

/**
 * The current flush interval's totals per series. {@link #add} runs on event loops and never waits
 * for anything; {@link #drain} swaps in a fresh interval and hands over the finished one once no
 * add is still writing to it, so no usage lands in an interval that was already sent.
 */
final class IntervalTotals {

    private final int maxSeries;
    private final AtomicReference<Interval> current = new AtomicReference<>(new Interval());

    IntervalTotals(int maxSeries) {
        this.maxSeries = maxSeries;
    }

    /** @return false when the usage was dropped: a new series while {@code maxSeries} are already held */
    boolean add(Usage usage) {
        while (true) {
            Interval interval = current.get();
            interval.writers.incrementAndGet();
            try {
                if (interval != current.get()) {
                    continue; // drained meanwhile: write to the new one
                }
                SeriesKey key = new SeriesKey(usage.tenant(), usage.model());
                SeriesTotals totals = interval.series.get(key);
                if (totals == null) {
                    if (interval.series.size() >= maxSeries) {
                        return false;
                    }
                    totals = interval.series.computeIfAbsent(key, k -> new SeriesTotals());
                }
                totals.add(usage);
                return true;
            } finally {
                interval.writers.decrementAndGet();
            }
        }
    }

    /** Ends the current interval. Called from one thread at a time (the exporter's). */
    Map<SeriesKey, SeriesTotals> drain() {
        Interval finished = current.getAndSet(new Interval());
        while (finished.writers.get() > 0) {
            Thread.onSpinWait(); // an add that started before the swap: a few field updates away
        }
        return finished.series;
    }

    private static final class Interval {
        final ConcurrentHashMap<SeriesKey, SeriesTotals> series = new ConcurrentHashMap<>();
        final AtomicInteger writers = new AtomicInteger();
    }
}
