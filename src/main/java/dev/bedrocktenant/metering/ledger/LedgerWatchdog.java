package dev.bedrocktenant.metering.ledger;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * A writer stuck on a disk that does not answer must not hold responses forever: lines waiting longer than
 * {@code proxy.ledger.max-wait} are failed (the caller lets the response go and counts it late). They stay
 * queued, and are still written if the disk comes back. Checks four times per max-wait, on a thread of its own.
 */
final class LedgerWatchdog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LedgerWatchdog.class);
    private static final long MIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final BlockingQueue<PendingLine> queue;
    private final LedgerWriter writer;
    private final long maxWaitNanos;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread watch = new Thread(task, "usage-ledger-watchdog");
        watch.setDaemon(true);
        return watch;
    });

    LedgerWatchdog(BlockingQueue<PendingLine> queue, LedgerWriter writer, long maxWaitNanos) {
        this.queue = queue;
        this.writer = writer;
        this.maxWaitNanos = maxWaitNanos;
        long checkEveryNanos = Math.max(MIN_CHECK_NANOS, maxWaitNanos / 4);
        checks.scheduleWithFixedDelay(this::giveUpOnOverdueLines, checkEveryNanos, checkEveryNanos,
                TimeUnit.NANOSECONDS);
    }

    private void giveUpOnOverdueLines() {
        long overdue = System.nanoTime() - maxWaitNanos;
        int given = 0;
        for (PendingLine line : writer.writing()) {
            given += giveUp(line, overdue);
        }
        for (PendingLine line : queue) { // oldest first
            if (!line.queuedBefore(overdue)) {
                break;
            }
            given += giveUp(line, overdue);
        }
        if (given > 0) {
            LOG.errorf("ledger lines not written within %dms lines=%d queued=%d",
                    TimeUnit.NANOSECONDS.toMillis(maxWaitNanos), given, queue.size());
        }
    }

    private int giveUp(PendingLine line, long overdue) {
        boolean gaveUp = line.queuedBefore(overdue) && line.written().completeExceptionally(
                new LedgerWriteFailed("not written within " + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + "ms"));
        return gaveUp ? 1 : 0;
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
