package dev.bedrocktenant.metering.cloudwatch;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** CloudWatch export of per-tenant metrics (docs/reference.md §6). The region is {@code proxy.region}. */
@ConfigMapping(prefix = "proxy.cloudwatch")
public interface CloudWatchConfig {

    /** Off by default: exporting needs {@code cloudwatch:PutMetricData} and costs money. */
    @WithDefault("false")
    boolean enabled();

    @WithDefault("BedrockTenants")
    String namespace();

    /** How long usage is aggregated in memory before one round of PutMetricData calls. */
    @WithDefault("60s")
    Duration flushInterval();

    /** A VPC endpoint or a fake; unset: the SDK's regional endpoint (or AWS_ENDPOINT_URL_CLOUDWATCH). */
    Optional<URI> endpoint();

    /** Distinct (tenant, model) series aggregated per interval; usage of further series is dropped and counted. */
    @WithDefault("10000")
    int maxSeries();

    /** PutMetricData calls waiting to be sent (or re-sent); beyond it the oldest is dropped and counted. */
    @WithDefault("100")
    int maxBacklogBatches();

    /** Attempts per PutMetricData call, the first included, before its datums are dropped and counted. */
    @WithDefault("4")
    int maxAttempts();

    /** Wait before the first retry; doubled for each further one (with jitter), up to the flush interval. */
    @WithDefault("2s")
    Duration retryInitialDelay();

    /** Time allowed for one PutMetricData call. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Longest wait at shutdown for the last interval to be sent. */
    @WithDefault("10s")
    Duration shutdownTimeout();
}
