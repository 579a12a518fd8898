package dev.bedrocktenant.metering.ledger.upload;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.metering.ledger.TestLedgerConfig;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The process {@link LedgerUploadCrashTest} kills mid-upload: a ledger in {@code args[0]} with lines of
 * {@code args[2]} (a day that is over), and an uploader to the bucket at {@code args[1]}, left running.
 */
public final class LedgerUploadCrashChild {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        UsageLedger ledger = new UsageLedger(TestLedgerConfig.in(dir), new SimpleMeterRegistry());
        Instant day = Instant.parse(args[2] + "T10:00:00Z");
        for (int i = 0; i < 1000; i++) {
            ledger.append(TestUsages.usage("crash-upload-" + i, day.plusSeconds(i))).get(5, TimeUnit.SECONDS);
        }
        LedgerBucket bucket = LedgerBucket.open(BucketLocation.parse("s3://" + FakeS3.BUCKET + "/ledgers"), "us-east-1",
                Optional.of(URI.create(args[1])), true, StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LedgerUploadCrashTest.ACCESS_KEY, LedgerUploadCrashTest.SECRET)),
                Duration.ofMinutes(5));
        new LedgerUploader(dir, InstanceId.of(dir), bucket, ledger::caughtUp,
                new UploadSchedule(Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new SimpleMeterRegistry(), Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(),
                day.plus(Duration.ofDays(1)).plus(Duration.ofHours(2))))).start();
        Thread.sleep(Long.MAX_VALUE); // until killed
    }
}
