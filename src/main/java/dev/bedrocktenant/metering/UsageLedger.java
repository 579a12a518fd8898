package dev.bedrocktenant.metering;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The usage ledger (CONTRACT §8): one JSON line per finished request, appended to one file per UTC day.
 *
 * <p>{@link #append} never blocks: it encodes the line on the caller's thread and hands it to the one
 * writer thread through a bounded queue. Its future completes once the line's bytes are in the file (they
 * then survive a kill of the process), or fails if that took longer than {@code proxy.ledger.max-wait}; the
 * disk itself is forced every {@code proxy.ledger.fsync-interval} and at shutdown. The future completes on
 * the executor given to {@link #append(Usage, Executor)} (the writer thread by default, the watchdog when it
 * gives up): what depends on it must not block.
 */
@Startup // create the directory and repair torn files at start-up, not on the first request
@ApplicationScoped
public class UsageLedger implements AutoCloseable {

    /** Micrometer name; Prometheus shows {@code bedrock_tenant_ledger_dropped_lines_total}. */
    public static final String DROPPED_LINES = "bedrock.tenant.ledger.dropped.lines";

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);
    private static final long STOP_TIMEOUT_SECONDS = 30;
    private static final Executor ON_WRITER_THREAD = Runnable::run;

    private final DayFiles files;
    private final BlockingQueue<PendingLine> queue;
    private final LedgerWriter writer;
    private final Thread thread;
    private final Counter droppedQueueFull;
    private final Counter droppedClosed;
    private final long maxWaitNanos;
    private final ScheduledExecutorService watchdog;
    private volatile boolean closed;

    /** Opens the ledger in {@code config.dir()} (created when missing) and starts its writer thread. */
    @Inject
    public UsageLedger(LedgerConfig config, MeterRegistry registry) {
        if (config.fsyncInterval().isNegative() || config.commitInterval().isNegative()
                || config.maxWait().isNegative() || config.maxWait().isZero() || config.maxQueuedLines() < 1) {
            throw new IllegalArgumentException(
                    "ledger fsync and commit intervals must be >= 0, max wait > 0 and max queued lines >= 1");
        }
        this.files = new DayFiles(Path.of(config.dir()));
        repair(files);
        this.queue = new LinkedBlockingQueue<>(config.maxQueuedLines());
        this.maxWaitNanos = config.maxWait().toNanos();
        this.droppedQueueFull = dropped(registry, "queue_full");
        this.droppedClosed = dropped(registry, "closed");
        this.writer = new LedgerWriter(queue, files, config.fsyncInterval(), config.commitInterval(),
                dropped(registry, "io_error"));
        this.thread = new Thread(writer, "usage-ledger-writer");
        thread.setDaemon(true); // shutdown drains it explicitly; a daemon never holds the JVM up by mistake
        thread.start();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread watch = new Thread(task, "usage-ledger-watchdog");
            watch.setDaemon(true);
            return watch;
        });
        long checkEveryNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), maxWaitNanos / 4);
        watchdog.scheduleWithFixedDelay(this::giveUpOnOverdueLines, checkEveryNanos, checkEveryNanos,
                TimeUnit.NANOSECONDS);
        LOG.infof("usage ledger open dir=%s fsyncInterval=%s commitInterval=%s maxWait=%s maxQueuedLines=%d",
                files.dir().toAbsolutePath(), config.fsyncInterval(), config.commitInterval(), config.maxWait(),
                config.maxQueuedLines());
    }

    /**
     * Queues the line for {@code usage}. Never blocks and never throws: a full queue, a closed ledger or a
     * disk that keeps failing completes the future exceptionally with {@link LedgerWriteFailed}. The future is
     * completed by the writer thread.
     */
    public CompletableFuture<Void> append(Usage usage) {
        return append(usage, ON_WRITER_THREAD);
    }

    /**
     * As {@link #append(Usage)}, but a successful write is acknowledged on {@code acknowledgements}: lines of
     * one write that name the same executor are completed together, in one task.
     */
    public CompletableFuture<Void> append(Usage usage, Executor acknowledgements) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        PendingLine line;
        try {
            line = new PendingLine(DayFiles.dayOf(usage.timestamp()),
                    (LedgerLine.encode(usage) + "\n").getBytes(StandardCharsets.UTF_8), usage.requestId(),
                    System.nanoTime(), written, acknowledgements);
        } catch (RuntimeException e) { // a Usage with a missing field: a caller's bug, reported on its future
            written.completeExceptionally(new LedgerWriteFailed("usage not encodable: " + e.getMessage(), e));
            return written;
        }
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
        watchdog.shutdownNow();
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
        LOG.infof("usage ledger closed dir=%s", files.dir().toAbsolutePath());
    }

    /**
     * A writer stuck on a disk that does not answer must not hold responses forever: lines waiting longer
     * than {@code proxy.ledger.max-wait} are failed (the caller lets the response go and counts it late).
     * They stay queued, and are still written if the disk comes back.
     */
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

    /** Creates the directory and cuts the torn last line a crash may have left in any day file. */
    private static void repair(DayFiles files) {
        try {
            Files.createDirectories(files.dir());
            for (Path file : files.all()) {
                TornTail.repair(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("usage ledger directory unusable: " + files.dir().toAbsolutePath(), e);
        }
    }
}
