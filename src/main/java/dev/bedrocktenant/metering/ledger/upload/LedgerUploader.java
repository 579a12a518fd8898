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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * Copies the ledger's day files to the bucket, on a thread of its own: nothing here is on the request path, and a
 * bucket that fails or hangs holds up only the next upload. A day is over a minute after its UTC end (a line's
 * {@code ts} is when it was appended, give or take that minute); once the writer has moved every line appended
 * until then into the day files, its file goes up whole. A line for it that still comes later (a disk that failed
 * for a while) makes the file longer than its upload, and the next round uploads it again under the same key.
 * The current day's file goes up so far every {@code currentDayInterval}, under the key it will have when whole,
 * so that a pod lost with its volume loses at most that much; what is left on disk when the proxy stops goes up
 * after the next start in the same directory, with everything else the bucket lacks.
 */
public final class LedgerUploader implements AutoCloseable {

    /**
     * Micrometer names; Prometheus shows {@code bedrock_tenant_ledger_uploads_total{outcome="success"|"failure"}},
     * {@code bedrock_tenant_ledger_uploaded_bytes_total} and {@code bedrock_tenant_ledger_upload_pending_files}.
     */
    static final String UPLOADS = "bedrock.tenant.ledger.uploads";
    static final String UPLOADED_BYTES = "bedrock.tenant.ledger.uploaded.bytes";
    static final String PENDING = "bedrock.tenant.ledger.upload.pending.files";

    private static final Logger LOG = Logger.getLogger(LedgerUploader.class);
    /** How long after midnight a day counts as over: lines are stamped when they are appended, not later. */
    static final Duration DAY_END_GRACE = Duration.ofMinutes(1);
    /** Longest wait for the writer to move the journal's lines into the day files (a disk that hangs). */
    private static final long CATCH_UP_SECONDS = 30;
    /**
     * Longest a stop waits for the last upload of the current day (Kubernetes gives a pod 30 s by default): a pod
     * whose volume goes with it then loses nothing on a rolling update.
     */
    static final long FINAL_UPLOAD_SECONDS = 20;

    private record Failures(int inARow, Instant retryAt) {
    }

    /** A day file with whole lines the bucket lacks, and whether its day is over. */
    private record Due(Path file, LocalDate day, boolean over) {
    }

    private final DayFiles files;
    private final UploadMarkers markers;
    private final String instanceId;
    private final LedgerBucket bucket;
    private final Supplier<CompletableFuture<Void>> caughtUp;
    private final UploadSchedule schedule;
    private final Clock clock;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter uploadedBytes;
    private final AtomicInteger pending = new AtomicInteger();
    /** Days whose last upload failed; read and written on the uploader's thread only. */
    private final Map<LocalDate, Failures> failures = new HashMap<>();
    /** One thread: uploads run one at a time, and none ever runs on an event loop or a request's thread. */
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "ledger-uploader");
        t.setDaemon(true);
        return t;
    });
    /** Set by {@link #close}: the current day is due whatever the age of its last upload, and retries wait no more. */
    private volatile boolean closing;

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
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // the next round, once closing
        this.succeeded = uploads(registry, "success");
        this.failed = uploads(registry, "failure");
        this.uploadedBytes = Counter.builder(UPLOADED_BYTES)
                .description("Bytes of ledger day files that S3 took (a file uploaded again counts again)")
                .register(registry);
        Gauge.builder(PENDING, pending, AtomicInteger::get)
                .description("Ledger day files of days that are over with lines the bucket lacks, as the last look found them")
                .register(registry);
    }

    private static Counter uploads(MeterRegistry registry, String outcome) {
        return Counter.builder(UPLOADS)
                .description("Uploads of ledger day files to S3 (a failed one is tried again later)")
                .tag("outcome", outcome)
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

    /**
     * Stops the rounds. When the current day goes up before it is over, it goes up a last time first, within
     * {@value #FINAL_UPLOAD_SECONDS} s; an upload still under way then is abandoned, and its day is uploaded after
     * the next start (when the directory outlives the process).
     */
    @Override
    public void close() {
        try {
            if (schedule.uploadsCurrentDay() && !thread.isShutdown()) {
                closing = true;
                thread.execute(this::round);
                thread.shutdown();
                thread.awaitTermination(FINAL_UPLOAD_SECONDS, TimeUnit.SECONDS);
            }
            thread.shutdownNow();
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            bucket.close();
        }
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

    /** Uploads every day file that is due; returns the wait until the next round. */
    private Duration round() {
        if (!writerCaughtUp()) { // lines of a closed day may still be in the journal: look again next round
            return nextRound();
        }
        List<Due> due = dueFiles();
        pending.set((int) due.stream().filter(Due::over).count());
        for (Due d : due) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            Failures before = failures.get(d.day());
            if (!closing && before != null && before.retryAt().isAfter(clock.instant())) {
                continue;
            }
            if (upload(d.file(), d.day())) {
                failures.remove(d.day());
                if (d.over()) {
                    pending.decrementAndGet();
                }
            } else if (!Thread.currentThread().isInterrupted()) {
                int inARow = before == null ? 1 : before.inARow() + 1;
                failures.put(d.day(), new Failures(inARow, clock.instant().plus(schedule.retryAfter(inARow))));
            }
        }
        return nextRound();
    }

    /** True once the bucket has the file's whole lines under its key. */
    private boolean upload(Path file, LocalDate day) {
        String key = bucket.location().keyOf(day, instanceId);
        try {
            DaySnapshot snapshot = DaySnapshot.of(file);
            long started = System.nanoTime();
            bucket.put(key, snapshot).get();
            markers.uploaded(snapshot, key, clock.instant());
            succeeded.increment();
            uploadedBytes.increment(snapshot.bytes());
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

    /**
     * Day files, oldest first, with whole lines that their last upload did not have: every such file of a day that
     * is over, and the current day's when its last upload is {@code currentDayInterval} old.
     */
    private List<Due> dueFiles() {
        Instant now = clock.instant();
        LocalDate current = DayFiles.dayOf(now.minus(DAY_END_GRACE));
        List<Due> due = new ArrayList<>();
        try {
            for (Path file : files.all()) {
                LocalDate day = DayFiles.dayOfFile(file).orElseThrow();
                boolean over = day.isBefore(current);
                if (!over && !schedule.uploadsCurrentDay()) {
                    continue;
                }
                Optional<UploadMarkers.Marker> last = markers.of(file);
                if (!lacksLines(file, last)) {
                    continue;
                }
                if (over || closing || last.isEmpty() || !last.get().at().plus(schedule.currentDayInterval()).isAfter(now)) {
                    due.add(new Due(file, day, over));
                }
            }
        } catch (IOException e) {
            LOG.warnf("ledger directory not readable for upload dir=%s error=%s", files.dir(), e.toString());
        }
        return due;
    }

    private static boolean lacksLines(Path file, Optional<UploadMarkers.Marker> last) throws IOException {
        long wholeLines;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            wholeLines = TornTail.wholeLinesEnd(channel, channel.size());
        }
        return wholeLines > 0 && (last.isEmpty() || last.get().bytes() != wholeLines);
    }

    private boolean writerCaughtUp() {
        try {
            caughtUp.get().get(CATCH_UP_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("ledger writer did not catch up within %ds: nothing uploaded this round", CATCH_UP_SECONDS);
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
