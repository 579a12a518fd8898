package dev.bedrocktenant.metering.ledger.upload;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.bedrocktenant.controlplane.QuickClosingNettyClient;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/** The bucket the ledger's day files are copied to, through the SDK's S3 client (PutObject only). */
final class LedgerBucket implements AutoCloseable {

    private final BucketLocation location;
    private final S3AsyncClient s3;

    LedgerBucket(BucketLocation location, S3AsyncClient s3) {
        this.location = location;
        this.s3 = s3;
    }

    /**
     * The SDK's standard retries (3 attempts) inside each upload, the whole bounded by {@code timeout}.
     * Content-MD5 is the integrity check, so the SDK's own streaming checksum (a CRC32 trailer) is asked for only
     * where an operation requires one.
     */
    static LedgerBucket open(BucketLocation location, String region, Optional<URI> endpoint, boolean pathStyle,
                             AwsCredentialsProvider credentials, Duration timeout) {
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(QuickClosingNettyClient.builder(NettyNioAsyncHttpClient.builder()))
                .forcePathStyle(pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout));
        endpoint.ifPresentOrElse(builder::endpointOverride, () -> builder.crossRegionAccessEnabled(true));
        return new LedgerBucket(location, builder.build());
    }

    BucketLocation location() {
        return location;
    }

    /** Puts the snapshot's bytes under {@code key}, replacing what an earlier upload of the same day left there. */
    CompletableFuture<Void> put(String key, DaySnapshot snapshot) {
        AsyncRequestBody body = AsyncRequestBody.fromFile(FileRequestBodyConfiguration.builder()
                .path(snapshot.file()).position(0L).numBytesToRead(snapshot.bytes()).build());
        return s3.putObject(r -> r.bucket(location.bucket()).key(key).contentMD5(snapshot.md5())
                        .contentType("application/x-ndjson"), body)
                .thenApply(response -> null);
    }

    @Override
    public void close() {
        s3.close();
    }
}
