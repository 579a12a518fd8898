package dev.bedrocktenant.metering.ledger.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.metering.ledger.TestLedgerConfig;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The uploader against a real S3-compatible server (moto), read back through the SDK's GetObject and ListObjectsV2. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerUploaderMotoTest {

    private static final String BUCKET = "usage-ledgers";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMOTOTEST", "moto-test-secret"));
    private static final Instant NOON = Instant.parse("2026-12-03T12:00:00Z");
    private static final UploadSchedule AN_HOUR = new UploadSchedule(Duration.ofHours(1), Duration.ZERO,
            Duration.ofMillis(50), Duration.ofMillis(200));

    private MotoS3 moto;
    private S3AsyncClient reader;

    @BeforeAll
    void startMoto() throws Exception {
        moto = MotoS3.start();
        reader = S3AsyncClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(moto.endpoint()).forcePathStyle(true).build();
        reader.createBucket(r -> r.bucket(BUCKET)).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    void stopMoto() {
        if (reader != null) {
            reader.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private LedgerUploader uploader(Path dir, UsageLedger ledger, SimpleMeterRegistry registry) throws Exception {
        LedgerBucket bucket = LedgerBucket.open(BucketLocation.parse("s3://" + BUCKET + "/fleet"), "us-east-1",
                Optional.of(moto.endpoint()), true, CREDENTIALS, Duration.ofSeconds(10));
        return new LedgerUploader(dir, InstanceId.of(dir), bucket, ledger::caughtUp, AN_HOUR, registry,
                Clock.fixed(NOON, ZoneOffset.UTC));
    }

    @Test
    void aClosedDayLandsByteForByteUnderItsPartitionOnceAcrossARestart(@TempDir Path dir) throws Exception {
        try (UsageLedger ledger = new UsageLedger(TestLedgerConfig.in(dir), new SimpleMeterRegistry())) {
            for (int i = 0; i < 50; i++) {
                ledger.append(TestUsages.usage("moto-" + i, Instant.parse("2026-12-02T10:00:00Z").plusSeconds(i)))
                        .get(5, TimeUnit.SECONDS);
            }
            ledger.append(TestUsages.usage("today", NOON)).get(5, TimeUnit.SECONDS);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (LedgerUploader uploader = uploader(dir, ledger, registry)) {
                uploader.uploadNow().get(30, TimeUnit.SECONDS);
            }
            SimpleMeterRegistry afterRestart = new SimpleMeterRegistry();
            try (LedgerUploader uploader = uploader(dir, ledger, afterRestart)) {
                uploader.uploadNow().get(30, TimeUnit.SECONDS);
            }

            String key = "fleet/dt=2026-12-02/" + InstanceId.of(dir) + ".jsonl";
            List<S3Object> listed = reader.listObjectsV2(r -> r.bucket(BUCKET).prefix("fleet/")).get(10, TimeUnit.SECONDS)
                    .contents();
            assertEquals(List.of(key), listed.stream().map(S3Object::key).toList(), "the day that is over, once");
            byte[] file = Files.readAllBytes(dir.resolve("usage-2026-12-02.jsonl"));
            byte[] object = reader.getObject(r -> r.bucket(BUCKET).key(key), AsyncResponseTransformer.toBytes())
                    .get(10, TimeUnit.SECONDS).asByteArray();
            assertArrayEquals(file, object);
            assertEquals("\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(file)) + "\"",
                    listed.get(0).eTag());
            assertEquals(1, registry.get(LedgerUploader.UPLOADS).tag("outcome", "success").counter().count());
            assertEquals(0, afterRestart.get(LedgerUploader.UPLOADS).tag("outcome", "success").counter().count(),
                    "nothing new after the restart");
        }
    }
}
