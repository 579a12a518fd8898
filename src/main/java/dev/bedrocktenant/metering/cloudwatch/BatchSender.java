package dev.bedrocktenant.metering.cloudwatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import dev.bedrocktenant.delivery.Backoff;
import dev.bedrocktenant.delivery.RetryingSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * PutMetricData calls, one at a time from a bounded backlog and retried ({@link RetryingSender}); what is given
 * up on is counted by datum. Retries wait at most one flush interval, so a retry never falls behind the next
 * flush by more than that.
 */
final class BatchSender implements RetryingSender.Channel<List<MetricDatum>> {

    private static final Logger LOG = Logger.getLogger(BatchSender.class);

    static final String DROPPED_DATUMS = "bedrock.tenant.cloudwatch.dropped.datums";
    static final String SENT_DATUMS = "bedrock.tenant.cloudwatch.sent.datums";
    private static final String BACKLOG_FULL = "backlog_full";

    private final CloudWatchAsyncClient client;
    private final String namespace;
    private final MeterRegistry registry;
    private final Counter sent;
    private final RetryingSender<List<MetricDatum>> sender;

    BatchSender(CloudWatchAsyncClient client, ScheduledExecutorService executor, ExportSettings settings,
                MeterRegistry registry) {
        this.client = client;
        this.namespace = settings.namespace();
        this.registry = registry;
        this.sent = Counter.builder(SENT_DATUMS).description("Datums CloudWatch accepted").register(registry);
        var sending = new RetryingSender.Settings(settings.maxBacklogBatches(), settings.maxAttempts(),
                new Backoff(settings.retryInitialDelay(), settings.flushInterval()), BACKLOG_FULL);
        sending.dropReasons().forEach(this::dropped); // registered up front so that dashboards see a 0, not a gap
        this.sender = new RetryingSender<>(this, executor, sending);
    }

    /** Queues one call's datums; when the backlog is full the oldest waiting call is dropped. */
    void submit(List<MetricDatum> datums) {
        sender.offer(datums);
    }

    /** Completes when nothing is queued or on the wire. */
    CompletableFuture<Void> whenIdle() {
        return sender.whenIdle();
    }

    /** At shutdown, after the bounded wait: stops sending and counts what is left as dropped. */
    CompletableFuture<Void> close() {
        return sender.close();
    }

    @Override
    public CompletableFuture<?> send(List<MetricDatum> datums) {
        return client.putMetricData(r -> r.namespace(namespace).metricData(datums));
    }

    /** Throttling, 5xx and anything that never got an answer (I/O, timeout) may pass later; other 4xx never will. */
    @Override
    public boolean retryable(Throwable cause) {
        if (cause instanceof AwsServiceException service) {
            return service.statusCode() >= 500 || service.statusCode() == 429 || service.isThrottlingException();
        }
        return true;
    }

    @Override
    public void sent(List<MetricDatum> datums) {
        sent.increment(datums.size());
    }

    @Override
    public void dropped(List<MetricDatum> datums, String reason, Throwable cause) {
        dropped(reason).increment(datums.size());
        // the message names the endpoint and error code, never credentials
        LOG.warnf("dropped %d CloudWatch datums (%s)%s", datums.size(), reason, cause == null ? "" : ": " + cause.getMessage());
    }

    private Counter dropped(String reason) {
        return Counter.builder(DROPPED_DATUMS)
                .description("Datums given up on: not accepted by CloudWatch after retries, or no room to keep them")
                .tag("reason", reason)
                .register(registry);
    }

    @Override
    public String toString() {
        return "CloudWatch PutMetricData";
    }
}
