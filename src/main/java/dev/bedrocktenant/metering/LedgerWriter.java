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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import org.jboss.logging.Logger;

/**
 * The ledger's one writer thread. It moves lines to the day files from two places: the {@link LedgerJournal}
 * (most lines: they already survive a crash, nobody waits for them) and the queue (lines the journal had no
 * room for, whose responses wait). Group commit for the queue: it takes everything queued, writes each day's
 * share with one write, then acknowledges those lines (the OS has the bytes: they survive a kill of the
 * process). Forcing to the disk (fsync) runs on its own interval, or before every acknowledgement when it is
 * zero.
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
    /** Longest an idle writer sleeps when no fsync is due (fsync on every write): a safety net, it is woken. */
    private static final long IDLE_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BlockingQueue<PendingLine> queue;
    /** Lines that need no acknowledgement; null when the journal is off. */
    private final LedgerJournal journal;
    private final ByteBuffer journalBatch;
    private final OpenDayFiles files;
    private final long fsyncIntervalNanos;
    private final long commitIntervalNanos;
    private final Counter failedLines;
    /** Readers waiting for the day files to hold every line appended before they asked. */
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> catchUps = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile boolean idle;
    private volatile boolean stopping;
    private boolean journalDone;
    /** The lines being written now, for the watchdog to see; empty between writes. */
    private volatile List<PendingLine> writing = List.of();
    private LocalDate lastDay;
    private long nextFsyncAt;

    LedgerWriter(BlockingQueue<PendingLine> queue, LedgerJournal journal, DayFiles files, Duration fsyncInterval,
                 Duration commitInterval, Counter failedLines) {
        this.queue = queue;
        this.journal = journal;
        this.journalBatch = journal == null ? null : journal.newBatchBuffer();
        this.files = new OpenDayFiles(files);
        this.fsyncIntervalNanos = fsyncInterval.toNanos();
        this.commitIntervalNanos = commitInterval.toNanos();
        this.failedLines = failedLines;
    }

    /** After queueing a line: wakes the writer if it went idle (cheap when it did not). */
    void lineQueued() {
        if (idle) {
            wake();
        }
    }

    /**
     * After copying a line into the journal: wakes the writer early only when the journal is filling up, so
     * that a burst never finds it full; otherwise the line waits for the writer's next round.
     */
    void lineJournaled() {
        if (idle && journal.isQuarterFull()) {
            wake();
        }
    }

    private void wake() {
        idle = false;
        LockSupport.unpark(thread);
    }

    /**
     * Completes once the writer has run a round that began after this call: every line appended before it
     * is then in its day file (unless the disk refused it), not only in the journal, which the writer
     * otherwise moves once per fsync interval. For readers of the day files, such as the usage API.
     */
    CompletableFuture<Void> catchUp() {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        catchUps.add(caughtUp);
        LockSupport.unpark(thread); // (a writer gathering lines or idle starts its round now)
        return caughtUp;
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
        for (boolean lastRound = false; !lastRound; ) {
            // a round begun after stop() sees every line appended before the ledger closed
            boolean stopAsked = stopping;
            List<CompletableFuture<Void>> caughtUpBy = takeCatchUps();
            try {
                boolean moved = moveJournal();
                queue.drainTo(batch, MAX_BATCH);
                if (!batch.isEmpty()) {
                    writing = List.copyOf(batch); // cleared in finally
                    write(batch);
                }
                if (fsyncIntervalNanos > 0 && System.nanoTime() - nextFsyncAt >= 0) {
                    files.force(lastDay);
                    nextFsyncAt = System.nanoTime() + fsyncIntervalNanos;
                }
                if (!batch.isEmpty() && commitIntervalNanos > 0 && !stopping) {
                    LockSupport.parkNanos(this, commitIntervalNanos); // gather the next lines
                } else if (batch.isEmpty() && !moved) {
                    sleepUntilWoken();
                }
            } catch (RuntimeException | Error e) { // a bug must not stop the ledger, nor leave callers waiting
                LOG.errorf(e, "ledger writer failed lines=%d", batch.size());
                fail(batch, e);
                backoff(1); // nor spin on the same failure
            } finally {
                batch.clear();
                writing = List.of();
                caughtUpBy.forEach(caughtUp -> caughtUp.complete(null));
            }
            lastRound = stopAsked && queue.isEmpty() && journalDone;
        }
        files.close();
        takeCatchUps().forEach(caughtUp -> caughtUp.complete(null)); // asked during the last round
        LOG.debug("ledger writer stopped");
    }

    private List<CompletableFuture<Void>> takeCatchUps() {
        if (catchUps.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Void>> taken = new ArrayList<>();
        for (CompletableFuture<Void> caughtUp; (caughtUp = catchUps.poll()) != null; ) {
            taken.add(caughtUp);
        }
        return taken;
    }

    /**
     * Moves every line the journal holds to its day file, batch by batch, freeing each batch once written.
     * Nobody waits for these lines (they already survive a crash), so this runs when the writer wakes anyway:
     * once per fsync interval, just before the fsync (so a line is on the disk within about one interval, as
     * without the journal), after a group commit, or when an appender found the journal a quarter full. Each
     * wake-up costs more than writing many lines, so they are few. A batch that cannot be written stays
     * in the journal for the next round; the journal fills, and new lines then take the queue. True when
     * something was moved.
     */
    private boolean moveJournal() {
        if (journal == null) {
            journalDone = true;
            return false;
        }
        boolean moved = false;
        while (true) {
            LedgerJournal.Batch lines = journal.peek(journalBatch);
            if (lines.isEmpty()) {
                // at shutdown, a line still being copied in by a racing append is left for the next start
                journalDone = journal.isEmpty() || stopping;
                return moved;
            }
            IOException failure = append(lines.day(), lines.bytes(), lines.lines());
            if (failure != null) {
                LOG.errorf("ledger lines kept in the journal day=%s lines=%d error=%s", lines.day(), lines.lines(),
                        failure);
                journalDone = stopping; // at shutdown they wait in the journal for the next start
                return moved;
            }
            journal.release(lines);
            moved = true;
        }
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
            return IDLE_POLL_NANOS; // every batch is forced as it is written; appenders wake the writer
        }
        return Math.max(1, nextFsyncAt - System.nanoTime());
    }

    private void write(List<PendingLine> batch) {
        Map<LocalDate, List<PendingLine>> byDay = new LinkedHashMap<>(2);
        for (PendingLine line : batch) { // a batch spans two days only around midnight
            byDay.computeIfAbsent(line.day(), day -> new ArrayList<>()).add(line);
        }
        byDay.forEach(this::writeDay);
    }

    private void writeDay(LocalDate day, List<PendingLine> lines) {
        IOException failure = append(day, join(lines), lines.size());
        if (failure == null) {
            acknowledge(lines);
        } else {
            LOG.errorf("ledger lines lost day=%s lines=%d error=%s", day, lines.size(), failure);
            fail(lines, failure);
        }
    }

    /** Appends whole lines to the day's file, retrying; null once they are all in it, else the last failure. */
    private IOException append(LocalDate day, ByteBuffer bytes, int lines) {
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
                return null;
            } catch (IOException e) {
                failure = e;
                files.discard(day);
                LOG.warnf("ledger write failed day=%s lines=%d attempt=%d error=%s", day, lines, attempt, e);
                if (attempt < ATTEMPTS) {
                    backoff(attempt);
                }
            }
        }
        return failure;
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
