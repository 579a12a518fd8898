package dev.bedrocktenant.budget.notify;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import dev.bedrocktenant.delivery.Backoff;
import dev.bedrocktenant.delivery.RetryingSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * One destination's alert messages, one at a time and in order so that the receiver sees levels in order, from
 * a bounded queue that keeps the latest ({@link RetryingSender}); what is given up on is counted per destination.
 */
final class NotificationSender implements RetryingSender.Channel<AlertMessage> {

    private static final Logger LOG = Logger.getLogger(NotificationSender.class);

    static final String SENT = "bedrock.tenant.notifications.sent";
    static final String DROPPED = "bedrock.tenant.notifications.dropped";
    private static final String QUEUE_FULL = "queue_full";

    private final Destination destination;
    private final MeterRegistry registry;
    private final Counter sent;
    private final RetryingSender<AlertMessage> sender;

    NotificationSender(Destination destination, ScheduledExecutorService executor, DeliverySettings settings,
                       MeterRegistry registry) {
        this.destination = destination;
        this.registry = registry;
        this.sent = Counter.builder(SENT)
                .description("Alert level changes a destination took")
                .tag("destination", destination.name())
                .register(registry);
        var sending = new RetryingSender.Settings(settings.queueSize(), settings.maxAttempts(),
                new Backoff(settings.retryInitialDelay(), settings.retryMaxDelay()), QUEUE_FULL);
        sending.dropReasons().forEach(this::dropped); // registered up front so that dashboards see a 0, not a gap
        this.sender = new RetryingSender<>(this, executor, sending);
    }

    /** Queues a message and returns at once; when the queue is full the oldest waiting one is dropped. */
    void offer(AlertMessage message) {
        sender.offer(message);
    }

    /** At shutdown: stops sending and counts what is left as dropped. */
    CompletableFuture<Void> close() {
        return sender.close();
    }

    @Override
    public CompletableFuture<?> send(AlertMessage message) {
        return destination.deliver(message);
    }

    @Override
    public boolean retryable(Throwable cause) {
        return !(cause instanceof DeliveryFailure failure) || failure.retryable();
    }

    @Override
    public void sent(AlertMessage message) {
        sent.increment();
    }

    @Override
    public void dropped(AlertMessage message, String reason, Throwable cause) {
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

    @Override
    public String toString() {
        return destination.toString();
    }
}
