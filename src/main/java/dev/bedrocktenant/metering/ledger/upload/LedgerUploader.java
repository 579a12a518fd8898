package dev.bedrocktenant.metering.ledger.upload;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.bedrocktenant.metering.ledger.DayFiles;
import dev.bedrocktenant.metering.ledger.TornTail;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * Copies each closed day file of the ledger to the bucket, on a thread of its own: nothing here is on the request
 * path, and a bucket that fails or hangs holds up only the next upload. A day is closed a minute after its UTC end,
 * once the writer has moved every line appended until then into the day files (a line's {@code ts} is when it was
 * appended, give or take that minute); a line for it that still comes later (a disk that failed for a while) makes
 * the file longer than its upload, and the next round uploads it again under the same key. The current day is not
 * uploaded: its file changes until the day ends, and what is left of it on disk when the proxy stops goes up
 * after the next start in the same directory, with everything else the bucket lacks.
 */
public final class LedgerUploader implements AutoCloseable {

    /** Micrometer names; Prometheus shows {@code bedrock_tenant_ledger_uploaded_segments_total} and so on. */
    static final String UPLOADED = "bedrock.tenant.ledger.uploaded.segments";
    static final String FAILURES = "bedrock.tenant.ledger.upload.failures";
    static final String PENDING = "bedrock.tenant.ledger.upload.pending.segments";

    private static final Logger LOG = Logger.getLogger(LedgerUploader.class);
    /** How long after midnight a day counts as over: lines are stamped when they are appended, not later. */
    static final Duration DAY_END_GRACE = Duration.ofMinutes(1);
    /** Longest wait for the writer to move the journal's lines into the day files (a disk that hangs). */
    private static final long CATCH_UP_SECONDS = 30;

    private record Failures(int inARow, Instant retryAt) {
    }

    private final DayFiles files;
    private final UploadMarkers markers;
    private final String instanceId;
    private final LedgerBucket bucket;
    private final Supplier<CompletableFuture<Void>> caughtUp;
    private final UploadSchedule schedule;
    private final Clock clock;
    private final Counter uploaded;
    private final Counter failed;
    private final AtomicInteger pending = new AtomicInteger();
    /** Days whose last upload failed; read and written on the uploader's thread only. */
    private final Map<LocalDate, Failures> failures = new HashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ledger-uploader");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param caughtUp the ledger's {@code caughtUp()}: completes once the day files hold every line appended before
     * @param bucket   closed with the uploader
     */
    public LedgerUploader(Path ledgerDir, String instanceId, LedgerBucket bucket, Supplier<CompletableFuture<Void>> caughtUp,
                          UploadSchedule schedule, MeterRegistry registry, Clock clock) {
        this.files = new DayFiles(ledgerDir);
        this.markers = new UploadMarkers(ledgerDir);
        this.instanceId = instanceId;
        this.bucket = bucket;
        this.caughtUp = caughtUp;
        this.schedule = schedule;
        this.clock = clock;
        this.uploaded = Counter.builder(UPLOADED)
                .description("Closed ledger day files uploaded to S3 (again when late lines made one longer)")
                .register(registry);
        this.failed = Counter.builder(FAILURES)
                .description("Uploads of ledger day files that failed (each is tried again later)")
                .register(registry);
        Gauge.builder(PENDING, pending, AtomicInteger::get)
                .description("Closed ledger day files the bucket lacks, as the last look found them")
                .register(registry);
    }

    /** Starts the first round at once (at start-up: what an earlier run left), then one every interval. */
    public LedgerUploader start() {
        thread.execute(this::roundThenSchedule);
        return this;
    }

    /** Runs a round now, on the uploader's thread; completes when it is over. For tests. */
    CompletableFuture<Void> uploadNow() {
        return CompletableFuture.runAsync(this::round, thread);
    }

    /** Stops the rounds; an upload under way is abandoned, and its day is uploaded after the next start. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bucket.close();
    }

    private void roundThenSchedule() {
        Duration next = schedule.interval();
        try {
            next = round();
        } catch (RuntimeException e) { // a bug must not end the rounds
            LOG.error("ledger upload round failed", e);
        }
        if (!thread.isShutdown()) {
            thread.schedule(this::roundThenSchedule, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Uploads every closed day the bucket lacks; returns the wait until the next round. */
    private Duration round() {
        List<Path> lacking = closedDaysTheBucketLacks();
        pending.set(lacking.size());
        if (lacking.isEmpty() || !writerCaughtUp()) {
            return nextRound();
        }
        for (Path file : lacking) {
            LocalDate day = DayFiles.dayOfFile(file).orElseThrow();
            Failures before = failures.get(day);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            if (before != null && before.retryAt().isAfter(clock.instant())) {
                continue;
            }
            if (upload(file, day)) {
                failures.remove(day);
                pending.decrementAndGet();
            } else {
                int inARow = before == null ? 1 : before.inARow() + 1;
                failures.put(day, new Failures(inARow, clock.instant().plus(schedule.retryAfter(inARow))));
            }
        }
        return nextRound();
    }

    /** True once the bucket has the file's whole lines under its key. */
    private boolean upload(Path file, LocalDate day) {
        String key = bucket.location().keyOf(day, instanceId, file.getFileName().toString());
        try {
            DaySnapshot snapshot = DaySnapshot.of(file);
            long started = System.nanoTime();
            bucket.put(key, snapshot).get();
            markers.uploaded(snapshot, key);
            uploaded.increment();
            LOG.infof("ledger day uploaded file=%s key=%s bytes=%d tookMs=%d", file.getFileName(), key, snapshot.bytes(),
                    (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the day goes up after the next start
            return false;
        } catch (ExecutionException | IOException | RuntimeException e) {
            failed.increment();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warnf("ledger day upload failed, kept on disk and tried again file=%s key=%s error=%s",
                    file.getFileName(), key, cause.toString());
            return false;
        }
    }

    /** Day files of days over, oldest first, with whole lines that their last upload did not have. */
    private List<Path> closedDaysTheBucketLacks() {
        LocalDate current = DayFiles.dayOf(clock.instant().minus(DAY_END_GRACE));
        List<Path> lacking = new ArrayList<>();
        try {
            for (Path file : files.all()) {
                if (DayFiles.dayOfFile(file).orElseThrow().isBefore(current) && lacksLines(file)) {
                    lacking.add(file);
                }
            }
        } catch (IOException e) {
            LOG.warnf("ledger directory not readable for upload dir=%s error=%s", files.dir(), e.toString());
        }
        return lacking;
    }

    private boolean lacksLines(Path file) throws IOException {
        long wholeLines;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            wholeLines = TornTail.wholeLinesEnd(channel, channel.size());
        }
        OptionalLong inBucket = markers.uploadedBytes(file);
        return wholeLines > 0 && (inBucket.isEmpty() || inBucket.getAsLong() != wholeLines);
    }

    private boolean writerCaughtUp() {
        try {
            caughtUp.get().get(CATCH_UP_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("ledger writer did not catch up within %ds: closed days not uploaded this round", CATCH_UP_SECONDS);
            return false;
        }
    }

    /** The interval, or sooner when a failed upload is due for its retry. */
    private Duration nextRound() {
        Instant now = clock.instant();
        Duration next = schedule.interval();
        for (Failures f : failures.values()) {
            Duration untilRetry = Duration.between(now, f.retryAt());
            if (untilRetry.compareTo(next) < 0) {
                next = untilRetry.isNegative() ? Duration.ZERO : untilRetry;
            }
        }
        return next;
    }
}
