package dev.bedrocktenant.metering.ledger.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.metering.ledger.TestLedgerConfig;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The uploader with the SDK's S3 client against {@link FakeS3}, over a real ledger in a temporary directory. */
class LedgerUploaderTest {

    private static final String ACCESS_KEY = "AKIDLEDGERUPLOADTEST";
    private static final String SECRET = "ledger-upload-test-secret";
    /** Noon of 3 December: 2 December is over, 3 December is the current day. */
    private static final Instant NOON = Instant.parse("2026-12-03T12:00:00Z");
    /** Rounds an hour apart (tests run them), days uploaded once over, retries after 50-200 ms. */
    private static final UploadSchedule AN_HOUR = new UploadSchedule(Duration.ofHours(1), Duration.ZERO,
            Duration.ofMillis(50), Duration.ofMillis(200));
    /** As {@link #AN_HOUR}, and the current day uploaded so far every hour. */
    private static final UploadSchedule WITH_CURRENT_DAY = new UploadSchedule(Duration.ofHours(1), Duration.ofHours(1),
            Duration.ofMillis(50), Duration.ofMillis(200));

    @TempDir
    Path dir;
    private final FakeS3 s3 = new FakeS3(ACCESS_KEY, SECRET);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private UsageLedger ledger;
    private LedgerUploader uploader;

    @BeforeEach
    void openLedger() throws Exception {
        ledger = new UsageLedger(TestLedgerConfig.in(dir), new SimpleMeterRegistry());
        append("a", "2026-12-02T08:00:00Z");
        append("b", "2026-12-02T23:59:59.999Z");
        append("c", "2026-12-03T00:00:00Z");
    }

    @AfterEach
    void close() {
        if (uploader != null) {
            uploader.close();
        }
        ledger.close();
        s3.close();
    }

    private void append(String requestId, String at) throws Exception {
        ledger.append(TestUsages.usage(requestId, Instant.parse(at))).get(5, TimeUnit.SECONDS);
    }

    private LedgerUploader uploader(Instant now, UploadSchedule schedule) throws IOException {
        LedgerBucket bucket = LedgerBucket.open(BucketLocation.parse("s3://" + FakeS3.BUCKET + "/ledgers"), "us-east-1",
                Optional.of(s3.endpoint()), true,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)), Duration.ofSeconds(2));
        // a clock that runs from now on, so that retries come due
        uploader = new LedgerUploader(dir, InstanceId.of(dir), bucket, ledger::caughtUp, schedule, registry,
                Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now)));
        return uploader;
    }

    private void uploadNow(LedgerUploader uploader) throws Exception {
        uploader.uploadNow().get(30, TimeUnit.SECONDS);
    }

    private String keyOf(String day) throws IOException {
        return "ledgers/dt=" + day + "/" + InstanceId.of(dir) + ".jsonl";
    }

    private byte[] dayFile(String day) throws IOException {
        ledger.caughtUp().join(); // what the journal holds, in the file
        return Files.readAllBytes(dir.resolve("usage-" + day + ".jsonl"));
    }

    private double uploads(String outcome) {
        return registry.get(LedgerUploader.UPLOADS).tag("outcome", outcome).counter().count();
    }

    private double pending() {
        return registry.get(LedgerUploader.PENDING).gauge().value();
    }

    @Test
    void aClosedDayIsUploadedOnceWithItsExactBytesUnderItsKeyAndTheCurrentDayIsNot() throws Exception {
        LedgerUploader uploader = uploader(NOON, AN_HOUR);
        uploadNow(uploader);
        uploadNow(uploader);

        assertEquals(List.of(keyOf("2026-12-02")), List.copyOf(s3.objects().keySet()), "only the day that is over");
        FakeS3.StoredObject object = s3.object(keyOf("2026-12-02")).orElseThrow();
        assertArrayEquals(dayFile("2026-12-02"), object.bytes());
        assertEquals(2, new String(object.bytes(), StandardCharsets.UTF_8).lines().count());
        assertEquals(1, s3.puts().size(), "the second round found nothing new");
        assertEquals(1, uploads("success"));
        assertEquals(0, uploads("failure"));
        assertEquals(object.bytes().length, registry.get(LedgerUploader.UPLOADED_BYTES).counter().count());
        assertEquals(0, pending());
    }

    @Test
    void aDayIsOverOnlyAMinuteAfterItsEnd() throws Exception {
        uploadNow(uploader(Instant.parse("2026-12-03T00:00:30Z"), AN_HOUR));
        assertEquals(List.of(), s3.puts(), "a line of 2 December may still be on its way");
        uploader.close();

        uploadNow(uploader(Instant.parse("2026-12-03T00:01:00Z"), AN_HOUR));
        assertEquals(List.of(keyOf("2026-12-02")), List.copyOf(s3.objects().keySet()));
    }

    @Test
    void aLineStillBeingWrittenStaysOutOfTheUpload() throws Exception {
        byte[] whole = dayFile("2026-12-02");
        Files.write(dir.resolve("usage-2026-12-02.jsonl"), "{\"ts\":\"2026-12-02T23:5".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        uploadNow(uploader(NOON, AN_HOUR));
        assertArrayEquals(whole, s3.object(keyOf("2026-12-02")).orElseThrow().bytes());
    }

    @Test
    void aRestartUploadsNothingAgainButALateLineReplacesTheObjectUnderTheSameKey() throws Exception {
        uploadNow(uploader(NOON, AN_HOUR));
        uploader.close();

        uploadNow(uploader(NOON.plusSeconds(60), AN_HOUR)); // a new uploader: a restart in the same directory
        assertEquals(1, s3.puts().size(), "what the bucket has is not sent again");

        append("late", "2026-12-02T23:59:59.999Z"); // a line the writer could write only now
        uploadNow(uploader);
        assertEquals(2, s3.puts().size());
        assertEquals(List.of(keyOf("2026-12-02")), List.copyOf(s3.objects().keySet()), "replaced, not a second copy");
        assertArrayEquals(dayFile("2026-12-02"), s3.object(keyOf("2026-12-02")).orElseThrow().bytes());
        assertEquals(3, new String(s3.object(keyOf("2026-12-02")).orElseThrow().bytes(), StandardCharsets.UTF_8)
                .lines().count());
    }

    @Test
    void aFailingBucketIsTriedAgainWithBackoffUntilItTakesTheDay() throws Exception {
        s3.failNext(5); // the SDK's own 3 attempts of the first upload, then 2 of the second
        uploader(NOON, AN_HOUR).start();

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> s3.object(keyOf("2026-12-02")).isPresent());
        assertEquals(6, s3.puts().size());
        assertEquals(1, uploads("failure"));
        assertEquals(1, uploads("success"));
        assertArrayEquals(dayFile("2026-12-02"), s3.object(keyOf("2026-12-02")).orElseThrow().bytes());
    }

    @Test
    void aBucketDownAtStartGetsTheDayOnceItIsBack() throws Exception {
        s3.stop();
        uploader(NOON, AN_HOUR).start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> uploads("failure") >= 2);
        assertEquals(1, pending());
        assertTrue(Files.exists(dir.resolve("usage-2026-12-02.jsonl")), "kept on disk");

        s3.start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> s3.object(keyOf("2026-12-02")).isPresent());
        assertArrayEquals(dayFile("2026-12-02"), s3.object(keyOf("2026-12-02")).orElseThrow().bytes());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pending() == 0);
    }

    @Test
    void anUploadThatGetsNoAnswerIsGivenUpAfterTheTimeoutAndTriedAgain() throws Exception {
        s3.hangs(true);
        uploader(NOON, AN_HOUR).start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> uploads("failure") >= 1);

        s3.hangs(false);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> s3.object(keyOf("2026-12-02")).isPresent());
        assertEquals(1, uploads("success"));
    }

    @Test
    void aProcessStoppedMidUploadLeavesNoMarkAndTheNextStartUploadsTheDay() throws Exception {
        s3.hangs(true);
        uploader(NOON, AN_HOUR).start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !s3.puts().isEmpty()); // the PUT is under way
        uploader.close(); // as a kill: the connection drops before S3 answered
        assertTrue(s3.objects().isEmpty());
        assertFalse(Files.exists(dir.resolve(UploadMarkers.DIR)), "nothing marked as uploaded");

        s3.hangs(false);
        uploadNow(uploader(NOON, AN_HOUR)); // the next start in the same directory
        assertEquals(List.of(keyOf("2026-12-02")), List.copyOf(s3.objects().keySet()));
        assertArrayEquals(dayFile("2026-12-02"), s3.object(keyOf("2026-12-02")).orElseThrow().bytes());
    }

    @Test
    void aMarkCutByACrashOfTheMachineMeansOneUploadAgainUnderTheSameKey() throws Exception {
        uploadNow(uploader(NOON, AN_HOUR));
        uploader.close();
        Path mark = dir.resolve(UploadMarkers.DIR).resolve("usage-2026-12-02.jsonl.uploaded");
        Files.write(mark, new byte[0]); // written, renamed, never forced: empty after a power loss

        uploadNow(uploader(NOON, AN_HOUR));
        assertEquals(2, s3.puts().size());
        assertEquals(List.of(keyOf("2026-12-02")), List.copyOf(s3.objects().keySet()), "replaced, not a second copy");
        uploadNow(uploader);
        assertEquals(2, s3.puts().size(), "marked again");
    }

    @Test
    void appendsNeverWaitForTheBucket() throws Exception {
        s3.hangs(true); // an upload that takes as long as the timeout allows
        uploader(NOON, AN_HOUR).start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !s3.puts().isEmpty());

        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            assertTrue(ledger.append(TestUsages.usage("during-" + i, NOON)).isDone(), "taken by the journal at once");
        }
        ledger.caughtUp().get(5, TimeUnit.SECONDS); // and the writer moved them to the day file meanwhile
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
        assertTrue(s3.objects().isEmpty(), "the upload was still waiting for an answer");
        assertEquals(201, new String(dayFile("2026-12-03"), StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void theCurrentDayGoesUpSoFarUnderItsKeyEveryIntervalAndALastTimeAtStop() throws Exception {
        uploadNow(uploader(NOON, WITH_CURRENT_DAY));
        assertEquals(List.of(keyOf("2026-12-02"), keyOf("2026-12-03")), List.copyOf(s3.objects().keySet()));
        assertArrayEquals(dayFile("2026-12-03"), s3.object(keyOf("2026-12-03")).orElseThrow().bytes());

        append("d", "2026-12-03T11:00:00Z");
        uploadNow(uploader);
        assertEquals(2, s3.puts().size(), "its last upload is not an hour old");

        uploader.close(); // a stop: the current day goes up once more
        uploader = null;
        assertEquals(3, s3.puts().size());
        byte[] inBucket = s3.object(keyOf("2026-12-03")).orElseThrow().bytes();
        assertArrayEquals(dayFile("2026-12-03"), inBucket);
        assertEquals(2, new String(inBucket, StandardCharsets.UTF_8).lines().count());

        append("e", "2026-12-03T12:30:00Z");
        uploadNow(uploader(NOON.plus(Duration.ofHours(1)).plusSeconds(30), WITH_CURRENT_DAY)); // an hour after the last
        assertEquals(4, s3.puts().size());
        assertArrayEquals(dayFile("2026-12-03"), s3.object(keyOf("2026-12-03")).orElseThrow().bytes());
        assertEquals(List.of(keyOf("2026-12-02"), keyOf("2026-12-03")), List.copyOf(s3.objects().keySet()));
    }
}
