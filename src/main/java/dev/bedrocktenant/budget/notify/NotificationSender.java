package dev.bedrocktenant.budget.notify;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * One destination's bounded queue and the sending of it, one message at a time and in order: a failed send is
 * retried with exponential backoff a bounded number of times. What it gives up on is counted, never lost
 * silently. {@link #offer} takes any thread and never waits; everything else runs on the notifiers' scheduler
 * thread, where this sender's state is confined.
 */
final class NotificationSender {

    private static final Logger LOG = Logger.getLogger(NotificationSender.class);

    static final String SENT = "bedrock.tenant.notifications.sent";
    static final String DROPPED = "bedrock.tenant.notifications.dropped";

    private final Destination destination;
    private final ScheduledExecutorService executor;
    private final DeliverySettings settings;
    private final Backoff backoff;
    private final MeterRegistry registry;
    private final Counter sent;
    private final BlockingQueue<AlertMessage> queue;

    /** On the wire or waiting for its retry: the next message waits, so that the receiver sees levels in order. */
    private AlertMessage current;
    private volatile boolean closed;

    NotificationSender(Destination destination, ScheduledExecutorService executor, DeliverySettings settings,
                       MeterRegistry registry) {
        this.destination = destination;
        this.executor = executor;
        this.settings = settings;
        this.backoff = new Backoff(settings.retryInitialDelay(), settings.retryMaxDelay());
        this.registry = registry;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.sent = Counter.builder(SENT)
                .description("Alert level changes a destination took")
                .tag("destination", destination.name())
                .register(registry);
        for (String reason : List.of("queue_full", "retries_exhausted", "not_retryable", "shutdown")) {
            dropped(reason); // registered up front so that dashboards see a 0, not a gap
        }
    }

    /** Queues a message; when the queue is full the oldest waiting one is dropped, so the latest levels go out. */
    void offer(AlertMessage message) {
        if (closed) {
            drop(message, "shutdown", null);
            return;
        }
        while (!queue.offer(message)) {
            AlertMessage oldest = queue.poll();
            if (oldest != null) {
                drop(oldest, "queue_full", null);
            }
        }
        try {
            executor.execute(this::pump);
        } catch (RejectedExecutionException e) {
            if (queue.remove(message)) {
                drop(message, "shutdown", null);
            }
        }
    }

    /** At shutdown: stops sending and counts what is left as dropped. */
    CompletableFuture<Void> close() {
        closed = true;
        return CompletableFuture.runAsync(() -> {
            if (current != null) {
                drop(current, "shutdown", null);
                current = null;
            }
            AlertMessage left;
            while ((left = queue.poll()) != null) {
                drop(left, "shutdown", null);
            }
        }, executor);
    }

    private void pump() {
        if (current != null || closed) {
            return;
        }
        AlertMessage next = queue.poll();
        if (next != null) {
            send(next, 1);
        }
    }

    private void send(AlertMessage message, int attempt) {
        if (closed) {
            return;
        }
        current = message;
        CompletableFuture<Void> delivered;
        try {
            delivered = destination.deliver(message);
        } catch (RuntimeException e) {
            delivered = CompletableFuture.failedFuture(e);
        }
        delivered.whenComplete((ok, error) -> executor.execute(() -> completed(message, attempt, error)));
    }

    private void completed(AlertMessage message, int attempt, Throwable error) {
        if (closed) {
            return; // counted as dropped at shutdown
        }
        if (error == null) {
            sent.increment();
        } else {
            Throwable cause = DeliveryFailure.causeOf(error);
            boolean retryable = !(cause instanceof DeliveryFailure failure) || failure.retryable();
            if (!retryable) {
                drop(message, "not_retryable", cause);
            } else if (attempt >= settings.maxAttempts()) {
                drop(message, "retries_exhausted", cause);
            } else {
                Duration delay = backoff.after(attempt);
                LOG.debugf("alert notification to %s, attempt %d failed (%s); retrying in %d ms", destination,
                        (Object) attempt, cause.getMessage(), delay.toMillis());
                executor.schedule(() -> send(message, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
                return; // still busy: the retry goes first
            }
        }
        current = null;
        pump();
    }

    private void drop(AlertMessage message, String reason, Throwable cause) {
        dropped(reason).increment();
        LOG.warnf("dropped the alert notification tenant=%s level=%s to %s (%s)%s", message.tenant(), message.level(),
                destination, reason, cause == null ? "" : ": " + cause.getMessage());
    }

    private Counter dropped(String reason) {
        return Counter.builder(DROPPED)
                .description("Alert level changes given up on: not taken after retries, or no room to keep them")
                .tag("destination", destination.name())
                .tag("reason", reason)
                .register(registry);
    }
}
