package dev.bedrocktenant.metering.ledger.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    private static final UploadSchedule AN_HOUR = new UploadSchedule(Duration.ofHours(1), Duration.ofMillis(50),
            Duration.ofMillis(200));

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
        uploader = new LedgerUploader(dir, InstanceId.of(dir), bucket, ledger::caughtUp, schedule, registry,
                Clock.fixed(now, ZoneOffset.UTC));
        return uploader;
    }

    private void uploadNow(LedgerUploader uploader) throws Exception {
        uploader.uploadNow().get(30, TimeUnit.SECONDS);
    }

    private String keyOf(String day) throws IOException {
        return "ledgers/dt=" + day + "/" + InstanceId.of(dir) + "/usage-" + day + ".jsonl";
    }

    private byte[] dayFile(String day) throws IOException {
        ledger.caughtUp().join(); // what the journal holds, in the file
        return Files.readAllBytes(dir.resolve("usage-" + day + ".jsonl"));
    }

    private double count(String meter) {
        return registry.get(meter).counter().count();
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
        assertEquals(1, count(LedgerUploader.UPLOADED));
        assertEquals(0, count(LedgerUploader.FAILURES));
        assertEquals(0, registry.get(LedgerUploader.PENDING).gauge().value());
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
        assertEquals(1, count(LedgerUploader.FAILURES));
        assertEquals(1, count(LedgerUploader.UPLOADED));
        assertArrayEquals(dayFile("2026-12-02"), s3.object(keyOf("2026-12-02")).orElseThrow().bytes());
    }

    @Test
    void aBucketDownAtStartGetsTheDayOnceItIsBack() throws Exception {
        s3.stop();
        uploader(NOON, AN_HOUR).start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(LedgerUploader.FAILURES) >= 2);
        assertEquals(1, registry.get(LedgerUploader.PENDING).gauge().value());
        assertTrue(Files.exists(dir.resolve("usage-2026-12-02.jsonl")), "kept on disk");

        s3.start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> s3.object(keyOf("2026-12-02")).isPresent());
        assertArrayEquals(dayFile("2026-12-02"), s3.object(keyOf("2026-12-02")).orElseThrow().bytes());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> registry.get(LedgerUploader.PENDING).gauge().value() == 0);
    }

    @Test
    void anUploadThatGetsNoAnswerIsGivenUpAfterTheTimeoutAndTriedAgain() throws Exception {
        s3.hangs(true);
        uploader(NOON, AN_HOUR).start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(LedgerUploader.FAILURES) >= 1);

        s3.hangs(false);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> s3.object(keyOf("2026-12-02")).isPresent());
        assertEquals(1, count(LedgerUploader.UPLOADED));
    }
}
