package dev.bedrocktenant.metering.cloudwatch;

import java.time.Duration;

/**
 * What the exporter needs from {@link CloudWatchConfig}, as a plain value so tests can build one.
 * See {@link CloudWatchConfig} for the meaning of each.
 */
public record ExportSettings(String namespace,
                             Duration flushInterval,
                             int maxSeries,
                             int maxBacklogBatches,
                             int maxAttempts,
                             Duration retryInitialDelay,
                             Duration shutdownTimeout) {

    public ExportSettings {
        if (maxSeries < 1 || maxBacklogBatches < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("proxy.cloudwatch max-series, max-backlog-batches and max-attempts must be at least 1");
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("proxy.cloudwatch.flush-interval must be positive");
        }
    }

    public static ExportSettings of(CloudWatchConfig config) {
        return new ExportSettings(config.namespace(), config.flushInterval(), config.maxSeries(),
                config.maxBacklogBatches(), config.maxAttempts(), config.retryInitialDelay(), config.shutdownTimeout());
    }
}
