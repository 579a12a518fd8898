package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    /** Longest an idle writer sleeps when no fsync is due (fsync on every write): a safety net, it is woken. */
    private static final long IDLE_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BlockingQueue<PendingLine> queue;
    /** Lines that need no acknowledgement; null when the journal is off. */
    private final LedgerJournal journal;
    private final ByteBuffer journalBatch;
    private final DayFileAppender files;
    private final GroupCommit queued;
    private final long fsyncIntervalNanos;
    private final long commitIntervalNanos;
    /** Readers waiting for the day files to hold every line appended before they asked. */
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> catchUps = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile boolean idle;
    private volatile boolean stopping;
    private boolean journalDone;
    /** The lines being written now, for the watchdog to see; empty between writes. */
    private volatile List<PendingLine> writing = List.of();
    private long nextFsyncAt;

    LedgerWriter(BlockingQueue<PendingLine> queue, LedgerJournal journal, DayFiles files, Duration fsyncInterval,
                 Duration commitInterval, Counter failedLines) {
        this.queue = queue;
        this.journal = journal;
        this.journalBatch = journal == null ? null : journal.newBatchBuffer();
        this.fsyncIntervalNanos = fsyncInterval.toNanos();
        this.commitIntervalNanos = commitInterval.toNanos();
        this.files = new DayFileAppender(files, fsyncIntervalNanos == 0);
        this.queued = new GroupCommit(this.files, failedLines);
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
                    queued.write(batch);
                }
                if (fsyncIntervalNanos > 0 && System.nanoTime() - nextFsyncAt >= 0) {
                    files.force();
                    nextFsyncAt = System.nanoTime() + fsyncIntervalNanos;
                }
                if (!batch.isEmpty() && commitIntervalNanos > 0 && !stopping) {
                    LockSupport.parkNanos(this, commitIntervalNanos); // gather the next lines
                } else if (batch.isEmpty() && !moved) {
                    sleepUntilWoken();
                }
            } catch (RuntimeException | Error e) { // a bug must not stop the ledger, nor leave callers waiting
                LOG.errorf(e, "ledger writer failed lines=%d", batch.size());
                queued.fail(batch, e);
                DayFileAppender.pause(1); // nor spin on the same failure
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
            IOException failure = files.append(lines.day(), lines.bytes(), lines.lines());
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
}
