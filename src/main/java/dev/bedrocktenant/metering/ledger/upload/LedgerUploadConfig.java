package dev.bedrocktenant.metering.ledger.upload;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Copies of the closed ledger day files in S3 (docs/reference.md §7, "Ledger in S3"). */
@ConfigMapping(prefix = "proxy.ledger")
public interface LedgerUploadConfig {

    /** {@code s3://bucket/prefix}: where closed day files go; unset, nothing is uploaded. */
    Optional<String> s3Uri();

    /** The bucket's Region; unset: {@code proxy.region} (a bucket elsewhere is still found, by the SDK's redirect). */
    Optional<String> s3Region();

    /** A VPC endpoint or an S3-compatible store; unset: the Region's endpoint (or AWS_ENDPOINT_URL_S3). */
    Optional<URI> s3Endpoint();

    /** {@code https://endpoint/bucket/key} rather than {@code https://bucket.endpoint/key}: most S3-compatible stores want it. */
    @WithDefault("false")
    boolean s3PathStyle();

    /** How often the ledger directory is looked through for closed days that the bucket lacks. */
    @WithDefault("5m")
    Duration uploadInterval();

    /**
     * How often the current day's file is uploaded so far (replacing its object), so that a pod lost with its
     * volume loses at most this much of the day; {@code 0s}: only days that are over are uploaded.
     */
    @WithDefault("1h")
    Duration uploadCurrentDayInterval();

    /** Wait before a failed upload is tried again; doubled for each further failure (with jitter), up to the max. */
    @WithDefault("30s")
    Duration uploadRetryInitialDelay();

    @WithDefault("15m")
    Duration uploadRetryMaxDelay();

    /** Time allowed for one PutObject, the SDK's own retries included (a day file may be hundreds of MB). */
    @WithDefault("10m")
    Duration uploadTimeout();
}
