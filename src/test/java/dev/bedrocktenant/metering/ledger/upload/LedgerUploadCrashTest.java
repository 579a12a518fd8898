package dev.bedrocktenant.metering.ledger.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.metering.ledger.TestLedgerConfig;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A proxy killed (SIGKILL) while its PutObject waits for S3's answer: nothing is marked as uploaded, the day file
 * is whole on disk, and the next start in the same directory uploads it, byte for byte, under the same name.
 */
class LedgerUploadCrashTest {

    static final String ACCESS_KEY = "AKIDLEDGERCRASHTEST";
    static final String SECRET = "ledger-crash-test-secret";
    private static final String DAY = "2026-12-02";

    @TempDir
    Path tmp;

    @Test
    void aKillMidUploadLeavesTheDayOnDiskAndTheNextStartUploadsIt() throws Exception {
        Path dir = tmp.resolve("ledger");
        try (FakeS3 s3 = new FakeS3(ACCESS_KEY, SECRET)) {
            s3.hangs(true); // the PUT is received and never answered
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), LedgerUploadCrashChild.class.getName(),
                    dir.toString(), s3.endpoint().toString(), DAY)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile())
                    .start();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !s3.puts().isEmpty() || !child.isAlive());
                assertTrue(child.isAlive(), "the child died on its own: " + Files.readString(tmp.resolve("child.log")));
            } finally {
                child.destroyForcibly(); // SIGKILL: no shutdown hook, nothing closed
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertTrue(s3.objects().isEmpty());
            assertFalse(Files.exists(dir.resolve(UploadMarkers.DIR).resolve("usage-" + DAY + ".jsonl.uploaded")),
                    "not marked as uploaded");

            s3.hangs(false);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (UsageLedger ledger = new UsageLedger(TestLedgerConfig.in(dir), new SimpleMeterRegistry());
                 LedgerUploader uploader = new LedgerUploader(dir, InstanceId.of(dir),
                         LedgerBucket.open(BucketLocation.parse("s3://" + FakeS3.BUCKET + "/ledgers"), "us-east-1",
                                 Optional.of(s3.endpoint()), true,
                                 StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)),
                                 Duration.ofSeconds(10)),
                         ledger::caughtUp, new UploadSchedule(Duration.ofHours(1), Duration.ZERO, Duration.ofMillis(50),
                         Duration.ofMillis(200)), registry, Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC))) {
                uploader.uploadNow().get(30, TimeUnit.SECONDS);
            }
            String key = "ledgers/dt=" + DAY + "/" + InstanceId.of(dir) + ".jsonl";
            assertEquals(key, s3.puts().get(0).key(), "the killed one's PUT");
            assertEquals(List.of(key), List.copyOf(s3.objects().keySet()), "one object, under the same name");
            byte[] file = Files.readAllBytes(dir.resolve("usage-" + DAY + ".jsonl"));
            assertArrayEquals(file, s3.object(key).orElseThrow().bytes());
            assertEquals(1000, new String(file, StandardCharsets.UTF_8).lines().count());
            assertEquals(1, registry.get(LedgerUploader.UPLOADS).tag("outcome", "success").counter().count());
        }
    }
}
