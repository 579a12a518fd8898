package dev.bedrocktenant.metering.cloudwatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * Sends PutMetricData calls one at a time from a bounded backlog, retrying a failed call with
 * exponential backoff a bounded number of times. Whatever it gives up on is counted, never lost
 * silently. All state is confined to the exporter's single scheduler thread.
 */
final class BatchSender {

    private static final Logger LOG = Logger.getLogger(BatchSender.class);

    static final String DROPPED_DATUMS = "bedrock.tenant.cloudwatch.dropped.datums";
    static final String SENT_DATUMS = "bedrock.tenant.cloudwatch.sent.datums";

    private final CloudWatchAsyncClient client;
    private final ScheduledExecutorService executor;
    private final ExportSettings settings;
    private final MeterRegistry registry;
    private final Counter sent;

    private final Deque<Batch> backlog = new ArrayDeque<>();
    /** On the wire or waiting for its retry: the next call waits, so a down endpoint is not hammered. */
    private Batch current;
    /** Shut down: nothing more is sent. */
    private boolean closed;
    private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();

    BatchSender(CloudWatchAsyncClient client, ScheduledExecutorService executor, ExportSettings settings,
                MeterRegistry registry) {
        this.client = client;
        this.executor = executor;
        this.settings = settings;
        this.registry = registry;
        this.sent = Counter.builder(SENT_DATUMS).description("Datums CloudWatch accepted").register(registry);
        for (String reason : List.of("retries_exhausted", "not_retryable", "backlog_full", "shutdown")) {
            dropped(reason); // registered up front so that dashboards see a 0, not a gap
        }
    }

    /** Queues one call's datums; when the backlog is full the oldest waiting call is dropped. */
    void submit(List<MetricDatum> datums) {
        executor.execute(() -> {
            if (backlog.size() >= settings.maxBacklogBatches()) {
                Batch oldest = backlog.pollFirst();
                drop(oldest, "backlog_full", null);
            }
            backlog.addLast(new Batch(datums, 1));
            pump();
        });
    }

    /** Completes when nothing is queued or on the wire. */
    CompletableFuture<Void> whenIdle() {
        CompletableFuture<Void> idle = new CompletableFuture<>();
        executor.execute(() -> {
            idleWaiters.add(idle);
            pump();
        });
        return idle;
    }

    /** At shutdown, after the bounded wait: stops sending and counts what is left as dropped. */
    CompletableFuture<Void> close() {
        return CompletableFuture.runAsync(() -> {
            closed = true;
            if (current != null) {
                drop(current, "shutdown", null);
                current = null;
            }
            Batch b;
            while ((b = backlog.pollFirst()) != null) {
                drop(b, "shutdown", null);
            }
        }, executor);
    }

    private void pump() {
        if (current != null || closed) {
            return;
        }
        Batch batch = backlog.pollFirst();
        if (batch == null) {
            idleWaiters.forEach(w -> w.complete(null));
            idleWaiters.clear();
            return;
        }
        send(batch);
    }

    private void send(Batch batch) {
        if (closed) {
            return;
        }
        current = batch;
        client.putMetricData(r -> r.namespace(settings.namespace()).metricData(batch.datums))
                .whenComplete((ok, error) -> executor.execute(() -> completed(batch, error)));
    }

    private void completed(Batch batch, Throwable error) {
        if (closed) {
            return; // already counted as dropped at shutdown
        }
        if (error == null) {
            sent.increment(batch.datums.size());
            current = null;
            pump();
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!retryable(cause)) {
            drop(batch, "not_retryable", cause);
        } else if (batch.attempt >= settings.maxAttempts()) {
            drop(batch, "retries_exhausted", cause);
        } else {
            Duration delay = backoff(batch.attempt);
            LOG.debugf("PutMetricData attempt %d failed (%s); retrying in %d ms", (Object) batch.attempt, cause, delay.toMillis());
            executor.schedule(() -> send(new Batch(batch.datums, batch.attempt + 1)), delay.toMillis(), TimeUnit.MILLISECONDS);
            return; // still busy: the retry goes first
        }
        current = null;
        pump();
    }

    /** Exponential, capped at the flush interval, with "equal jitter" so a fleet of sidecars spreads out. */
    Duration backoff(int failedAttempt) {
        long base = settings.retryInitialDelay().toMillis() << Math.min(failedAttempt - 1, 20);
        long capped = Math.min(base, settings.flushInterval().toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** Throttling, 5xx and anything that never got an answer (I/O, timeout) may pass later; other 4xx never will. */
    static boolean retryable(Throwable cause) {
        if (cause instanceof AwsServiceException service) {
            return service.statusCode() >= 500 || service.statusCode() == 429 || service.isThrottlingException();
        }
        return true;
    }

    private void drop(Batch batch, String reason, Throwable cause) {
        dropped(reason).increment(batch.datums.size());
        // the message names the endpoint and error code, never credentials
        LOG.warnf("dropped %d CloudWatch datums (%s)%s", batch.datums.size(), reason,
                cause == null ? "" : ": " + cause.getMessage());
    }

    private Counter dropped(String reason) {
        return Counter.builder(DROPPED_DATUMS)
                .description("Datums given up on: not accepted by CloudWatch after retries, or no room to keep them")
                .tag("reason", reason)
                .register(registry);
    }

    private record Batch(List<MetricDatum> datums, int attempt) {
    }
}
