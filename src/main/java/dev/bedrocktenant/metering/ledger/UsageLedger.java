package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.FastThreadLocal;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.agrona.ExpandableArrayBuffer;
import org.jboss.logging.Logger;

/**
 * The usage ledger (docs/reference.md §7): one JSON line per finished request, appended to one file per UTC day.
 *
 * <p>{@link #append} never blocks: it encodes the line on the caller's thread and copies it into the
 * {@link LedgerJournal}, a memory-mapped file that survives a kill of the process; the future is then already
 * complete, and the writer thread moves the line to its day file before its next fsync (within
 * {@code proxy.ledger.fsync-interval}, sooner when the journal fills up). A line the journal has
 * no room for goes to the writer through a bounded queue instead: its future completes once the line's bytes
 * are in the file, or fails if that took longer than {@code proxy.ledger.max-wait}. The disk itself is forced
 * every {@code proxy.ledger.fsync-interval} and at shutdown. A queued line's future completes on the executor
 * given to {@link #append(Usage, Executor)} (the writer thread by default, the watchdog when it gives up):
 * what depends on it must not block.
 *
 * <p>One process per ledger directory: a second one is refused at start-up (a lock on
 * {@value #LOCK_FILE}).
 */
@Startup // lock the directory, repair torn files and recover the journal at start-up, not on the first request
@Singleton
public class UsageLedger implements AutoCloseable {

    /** Micrometer name; Prometheus shows {@code bedrock_tenant_ledger_dropped_lines_total}. */
    public static final String DROPPED_LINES = "bedrock.tenant.ledger.dropped.lines";

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);
    private static final long STOP_TIMEOUT_SECONDS = 30;
    private static final Executor ON_WRITER_THREAD = Runnable::run;
    static final String LOCK_FILE = ".lock";
    private static final long MIN_JOURNAL_BYTES = 64 * 1024;
    private static final long MAX_JOURNAL_BYTES = 1024 * 1024 * 1024;
    /** What {@link #append} returns for a line the journal took: done, and the same future for every such line. */
    public static final CompletableFuture<Void> IN_JOURNAL = CompletableFuture.completedFuture(null);
    /**
     * Each thread encodes its lines in a buffer of its own, reused: a line is copied out (into the journal, or
     * an array for the queue) before append returns. A fresh buffer per line was allocated and zeroed each time.
     * Netty's thread-local: on an event loop, an index into its thread's own array rather than a hash lookup.
     */
    private static final FastThreadLocal<LedgerLine.LineBuffer> LINE_BUFFER = new FastThreadLocal<>() {
        @Override
        protected LedgerLine.LineBuffer initialValue() {
            return new LedgerLine.LineBuffer();
        }
    };
    /** A buffer grown past this by an outsized line is not kept for the thread's next lines. */
    private static final int MAX_KEPT_LINE_BUFFER = 64 * 1024;

    private final DayFiles files;
    private final DirectoryLock lock;
    /** Null when off ({@code journal-size=0}, or an fsync before every acknowledgement was asked for). */
    private final LedgerJournal journal;
    private final BlockingQueue<PendingLine> queue;
    private final LedgerWriter writer;
    private final Thread thread;
    private final Counter droppedQueueFull;
    private final Counter droppedClosed;
    private final LedgerWatchdog watchdog;
    private volatile boolean closed;

    /** Opens the ledger in {@code config.dir()} (created when missing) and starts its writer thread. */
    @Inject
    public UsageLedger(LedgerConfig config, MeterRegistry registry) {
        if (config.fsyncInterval().isNegative() || config.commitInterval().isNegative()
                || config.maxWait().isNegative() || config.maxWait().isZero() || config.maxQueuedLines() < 1) {
            throw new IllegalArgumentException(
                    "ledger fsync and commit intervals must be >= 0, max wait > 0 and max queued lines >= 1");
        }
        long journalSize = config.journalSize().asLongValue();
        if (journalSize != 0 && (Long.bitCount(journalSize) != 1 || journalSize < MIN_JOURNAL_BYTES
                || journalSize > MAX_JOURNAL_BYTES)) {
            throw new IllegalArgumentException("proxy.ledger.journal-size must be 0 (off) or a power of two from "
                    + "64K to 1G, not " + journalSize + " bytes");
        }
        this.files = new DayFiles(Path.of(config.dir()));
        this.lock = DirectoryLock.take(files.dir(), LOCK_FILE, "usage ledger"); // before touching any file
        try {
            repair(files);
            this.journal = openJournal(config, files);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        this.queue = new LinkedBlockingQueue<>(config.maxQueuedLines());
        this.droppedQueueFull = dropped(registry, "queue_full");
        this.droppedClosed = dropped(registry, "closed");
        this.writer = new LedgerWriter(queue, journal, files, config.fsyncInterval(), config.commitInterval(),
                dropped(registry, "io_error"));
        this.thread = new Thread(writer, "usage-ledger-writer");
        thread.setDaemon(true); // shutdown drains it explicitly; a daemon never holds the JVM up by mistake
        thread.start();
        this.watchdog = new LedgerWatchdog(queue, writer, config.maxWait().toNanos());
        LOG.infof("usage ledger open dir=%s journalBytes=%d fsyncInterval=%s commitInterval=%s maxWait=%s "
                + "maxQueuedLines=%d", files.dir().toAbsolutePath(), journal == null ? 0 : journal.capacity(),
                config.fsyncInterval(), config.commitInterval(), config.maxWait(), config.maxQueuedLines());
    }

    /**
     * Queues the line for {@code usage}. Never blocks and never throws: a full queue, a closed ledger or a
     * disk that keeps failing completes the future exceptionally with {@link LedgerWriteFailed}. The future is
     * completed by the writer thread.
     */
    public CompletableFuture<Void> append(Usage usage) {
        return append(usage, () -> ON_WRITER_THREAD);
    }

    /**
     * As {@link #append(Usage)}, but a successful write is acknowledged on {@code acknowledgements} (asked
     * for only when the line takes the queue: a line the journal takes is done at once): lines of
     * one write that name the same executor are completed together, in one task.
     */
    public CompletableFuture<Void> append(Usage usage, Supplier<Executor> acknowledgements) {
        long epochDay;
        LedgerLine.LineBuffer buffer = LINE_BUFFER.get();
        ExpandableArrayBuffer bytes = buffer.line;
        int length;
        try {
            epochDay = DayFiles.epochDayOf(usage.timestamp());
            length = LedgerLine.encode(usage, buffer);
        } catch (RuntimeException e) { // a Usage with a missing field: a caller's bug, reported on its future
            return CompletableFuture.failedFuture(new LedgerWriteFailed("usage not encodable: " + e.getMessage(), e));
        } finally {
            if (bytes.capacity() > MAX_KEPT_LINE_BUFFER) {
                LINE_BUFFER.remove();
            }
        }
        if (journal != null && !closed && journal.append(epochDay, bytes, length)) {
            writer.lineJournaled();
            return IN_JOURNAL; // (one completed future shared by all such lines: callers only read it)
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        PendingLine line = new PendingLine(LocalDate.ofEpochDay(epochDay), Arrays.copyOf(bytes.byteArray(), length),
                usage.requestId(), System.nanoTime(), written, acknowledgements.get());
        if (closed) {
            refuse(line, droppedClosed, "closed");
        } else if (!queue.offer(line)) {
            refuse(line, droppedQueueFull, "queue_full");
        } else if (closed && queue.remove(line)) {
            refuse(line, droppedClosed, "closed"); // raced with close(): the writer may be gone
        } else {
            writer.lineQueued();
        }
        return written;
    }

    /**
     * Completes when the day files hold every line appended before the call (see {@link LedgerWriter#catchUp()}),
     * at once when the ledger is closed. Never fails; it may never complete when the disk hangs: bound the wait.
     */
    public CompletableFuture<Void> caughtUp() {
        return closed ? CompletableFuture.completedFuture(null) : writer.catchUp();
    }

    /** Lines waiting for the writer. */
    public int queued() {
        return queue.size();
    }

    public Path dir() {
        return files.dir();
    }

    /** Refuses new lines, writes and forces everything queued, closes the files. Idempotent. */
    @PreDestroy
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        watchdog.close();
        writer.stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.errorf("ledger writer did not stop within %ds queued=%d", STOP_TIMEOUT_SECONDS, queue.size());
            return;
        }
        List<PendingLine> stragglers = new ArrayList<>();
        queue.drainTo(stragglers);
        stragglers.forEach(line -> refuse(line, droppedClosed, "closed"));
        // The journal stays mapped: an append racing with this close may still be copying into it. What is
        // left in it (a line from that race, or a disk that failed to the end) is moved at the next start.
        lock.close();
        LOG.infof("usage ledger closed dir=%s", files.dir().toAbsolutePath());
    }

    private void refuse(PendingLine line, Counter counter, String reason) {
        // a line refused here never reached the writer, so nothing else completes it
        counter.increment();
        LOG.errorf("ledger line dropped reason=%s requestId=%s queued=%d", reason, line.requestId(), queue.size());
        line.written().completeExceptionally(new LedgerWriteFailed("usage ledger line dropped: " + reason));
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder(DROPPED_LINES)
                .description("Usage ledger lines not written (queue full, closed, or disk failing)")
                .tag("reason", reason)
                .register(registry);
    }

    /**
     * Opens the journal and moves into the day files what a crash left in it. Off when every line must be
     * forced to the disk before its response goes: the journal only outlives the process, not the machine.
     */
    private static LedgerJournal openJournal(LedgerConfig config, DayFiles files) {
        int size = (int) config.journalSize().asLongValue();
        Path existing = files.dir().resolve(LedgerJournal.FILE_NAME);
        if ((size == 0 || config.fsyncInterval().isZero()) && !Files.exists(existing)) {
            return null;
        }
        LedgerJournal journal = LedgerJournal.open(files.dir(), size);
        try {
            JournalRecovery.recover(journal, files);
        } catch (IOException e) {
            journal.unmap();
            throw new UncheckedIOException("usage ledger journal could not be recovered: " + existing, e);
        }
        if (size == 0 || config.fsyncInterval().isZero()) {
            journal.unmap();
            deleteQuietly(existing);
            return null;
        }
        return journal.capacity() == size ? journal : journal.resize(size);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("ledger journal not deleted file=%s error=%s", file, e.toString());
        }
    }

    /** Cuts the torn last line a crash may have left in any day file. */
    private static void repair(DayFiles files) {
        try {
            for (Path file : files.all()) {
                TornTail.repair(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("usage ledger directory unusable: " + files.dir().toAbsolutePath(), e);
        }
    }
}
