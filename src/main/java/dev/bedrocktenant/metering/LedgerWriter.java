package dev.bedrocktenant.metering;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import org.jboss.logging.Logger;

/**
 * The ledger's one writer thread. Group commit: it takes everything queued, writes each day's share with
 * one write, then acknowledges those lines (the OS has the bytes: they survive a kill of the process).
 * Forcing to the disk (fsync) runs on its own interval, or before every acknowledgement when it is zero.
 *
 * <p>Waking a parked thread costs more than writing a line, so the writer is woken by an appender only
 * when it is idle. After each write it sleeps for the commit interval and writes whatever arrived
 * meanwhile; only when that finds nothing does it go idle. Under load it therefore wakes once per
 * interval, however many requests finish in it, and the appenders never pay for a wake-up.
 */
final class LedgerWriter implements Runnable {

    private static final Logger LOG = Logger.getLogger(LedgerWriter.class);
    private static final int MAX_BATCH = 4096;
    private static final int ATTEMPTS = 4;
    private static final long FIRST_BACKOFF_MS = 50;
    /** Bounds how long a stop request waits for an idle writer to notice it. */
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BlockingQueue<PendingLine> queue;
    private final OpenDayFiles files;
    private final long fsyncIntervalNanos;
    private final long commitIntervalNanos;
    private final Counter failedLines;
    private volatile Thread thread;
    private volatile boolean idle;
    private volatile boolean stopping;
    /** The lines being written now, for the watchdog to see; empty between writes. */
    private volatile List<PendingLine> writing = List.of();
    private LocalDate lastDay;
    private long nextFsyncAt;

    LedgerWriter(BlockingQueue<PendingLine> queue, DayFiles files, Duration fsyncInterval, Duration commitInterval,
                 Counter failedLines) {
        this.queue = queue;
        this.files = new OpenDayFiles(files);
        this.fsyncIntervalNanos = fsyncInterval.toNanos();
        this.commitIntervalNanos = commitInterval.toNanos();
        this.failedLines = failedLines;
    }

    /** After queueing a line: wakes the writer if it went idle (cheap when it did not). */
    void lineQueued() {
        if (idle) {
            idle = false;
            LockSupport.unpark(thread);
        }
    }

    /** Asks the writer to write what is queued, fsync, close its files and end. */
    void stop() {
        stopping = true;
        LockSupport.unpark(thread);
    }

    /** The lines in the write under way (none between writes). */
    List<PendingLine> writing() {
        return writing;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        List<PendingLine> batch = new ArrayList<>();
        nextFsyncAt = System.nanoTime() + fsyncIntervalNanos;
        while (!(stopping && queue.isEmpty())) {
            try {
                queue.drainTo(batch, MAX_BATCH);
                if (batch.isEmpty()) {
                    sleepUntilWoken();
                } else {
                    writing = List.copyOf(batch); // cleared in finally
                    write(batch);
                }
                if (fsyncIntervalNanos > 0 && System.nanoTime() - nextFsyncAt >= 0) {
                    files.force(lastDay);
                    nextFsyncAt = System.nanoTime() + fsyncIntervalNanos;
                }
                if (!batch.isEmpty() && commitIntervalNanos > 0 && !stopping) {
                    LockSupport.parkNanos(this, commitIntervalNanos); // gather the next lines
                }
            } catch (RuntimeException | Error e) { // a bug must not stop the ledger, nor leave callers waiting
                LOG.errorf(e, "ledger writer failed lines=%d", batch.size());
                fail(batch, e);
            } finally {
                batch.clear();
                writing = List.of();
            }
        }
        files.close();
        LOG.debug("ledger writer stopped");
    }

    /**
     * Goes idle until an appender wakes it, the next fsync is due or a stop request may have come. The
     * queue is checked again after going idle: an appender that looked just before saw a busy writer.
     */
    private void sleepUntilWoken() {
        idle = true;
        if (queue.isEmpty() && !stopping) {
            LockSupport.parkNanos(this, waitNanos());
        }
        idle = false;
        if (Thread.interrupted()) {
            LOG.warn("ledger writer interrupted; finishing what is queued");
            stopping = true;
        }
    }

    private long waitNanos() {
        if (fsyncIntervalNanos == 0) {
            return IDLE_POLL_NANOS; // every batch is forced as it is written
        }
        return Math.min(IDLE_POLL_NANOS, Math.max(1, nextFsyncAt - System.nanoTime()));
    }

    private void write(List<PendingLine> batch) {
        Map<LocalDate, List<PendingLine>> byDay = new LinkedHashMap<>(2);
        for (PendingLine line : batch) { // a batch spans two days only around midnight
            byDay.computeIfAbsent(line.day(), day -> new ArrayList<>()).add(line);
        }
        byDay.forEach(this::writeDay);
    }

    private void writeDay(LocalDate day, List<PendingLine> lines) {
        ByteBuffer bytes = join(lines);
        long start = -1;
        IOException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                FileChannel channel = files.channel(day);
                if (start < 0) {
                    start = files.end(day);
                } else if (channel.size() > start) {
                    channel.truncate(start); // a failed attempt may have left part of the batch: never twice
                }
                bytes.rewind();
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                files.written(day, bytes.limit());
                if (fsyncIntervalNanos == 0) {
                    files.force(day);
                }
                lastDay = day;
                acknowledge(lines);
                return;
            } catch (IOException e) {
                failure = e;
                files.discard(day);
                LOG.warnf("ledger write failed day=%s lines=%d attempt=%d error=%s", day, lines.size(), attempt, e);
                if (attempt < ATTEMPTS) {
                    backoff(attempt);
                }
            }
        }
        LOG.errorf("ledger lines lost day=%s lines=%d error=%s", day, lines.size(), failure);
        fail(lines, failure);
    }

    /**
     * One task per executor, not one per line: handing each line back to its event loop on its own would
     * wake that loop once per line.
     */
    private static void acknowledge(List<PendingLine> lines) {
        Map<Executor, List<PendingLine>> byExecutor = new IdentityHashMap<>(4);
        for (PendingLine line : lines) {
            byExecutor.computeIfAbsent(line.acknowledgements(), executor -> new ArrayList<>()).add(line);
        }
        byExecutor.forEach((executor, group) -> {
            Runnable completeAll = () -> group.forEach(line -> line.written().complete(null));
            try {
                executor.execute(completeAll);
            } catch (RejectedExecutionException e) { // its event loop is shutting down: nobody is left to wait long
                completeAll.run();
            }
        });
    }

    private void fail(List<PendingLine> lines, Throwable cause) {
        LedgerWriteFailed failed = new LedgerWriteFailed("usage ledger write failed", cause);
        for (PendingLine line : lines) {
            if (!line.written().isDone()) { // (the watchdog may have given up on it already: then it is late, not lost)
                failedLines.increment(); // counted before the caller can see the failure
                line.written().completeExceptionally(failed);
            }
        }
    }

    private static ByteBuffer join(List<PendingLine> lines) {
        int size = 0;
        for (PendingLine line : lines) {
            size += line.bytes().length;
        }
        ByteBuffer joined = ByteBuffer.allocate(size);
        lines.forEach(line -> joined.put(line.bytes()));
        return joined.flip();
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(FIRST_BACKOFF_MS << (2 * (attempt - 1))); // 50, 200, 800 ms
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
