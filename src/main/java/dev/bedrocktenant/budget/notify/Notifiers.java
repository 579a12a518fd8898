package dev.bedrocktenant.budget.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.budget.LevelChange;
import dev.bedrocktenant.signing.RequestSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Sends each alert level change to the configured webhook and SNS topic. Observing a {@link LevelChange} only
 * queues it, on whatever thread fired it (an event loop, too): sending happens on a thread of its own. Built at
 * start-up ({@link Startup}) so that creating the SNS client never happens on an event loop.
 */
@Startup
@Singleton
public class Notifiers {

    private static final Logger LOG = Logger.getLogger(Notifiers.class);

    private final List<Destination> destinations;
    /** Null when nothing is configured: then nothing else exists either. */
    private final ScheduledExecutorService executor;
    private final List<NotificationSender> senders = new ArrayList<>();

    @Inject
    public Notifiers(NotifyConfig config, RequestSigner signer, MeterRegistry registry) {
        this(destinations(config, signer), DeliverySettings.of(config), registry);
        destinations.forEach(d -> LOG.infof("sending alert level changes to %s", d));
    }

    /** @param destinations closed by {@link #close} */
    Notifiers(List<Destination> destinations, DeliverySettings settings, MeterRegistry registry) {
        this.destinations = List.copyOf(destinations);
        if (destinations.isEmpty()) {
            executor = null;
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alert-notifiers");
            t.setDaemon(true);
            return t;
        });
        destinations.forEach(d -> senders.add(new NotificationSender(d, executor, settings, registry)));
    }

    private static List<Destination> destinations(NotifyConfig config, RequestSigner signer) {
        List<Destination> destinations = new ArrayList<>();
        config.webhookUrl().ifPresent(url -> destinations.add(new Webhook(url, config.requestTimeout())));
        config.snsTopicArn().ifPresent(arn -> destinations.add(
                SnsTopic.create(arn, config.snsEndpoint(), signer.credentials(), config.requestTimeout())));
        return destinations;
    }

    /** Queues the change for every destination and returns: no caller ever waits on a notifier. */
    void onLevelChange(@Observes LevelChange change) {
        if (senders.isEmpty()) {
            return;
        }
        AlertMessage message = AlertMessage.of(change);
        senders.forEach(s -> s.offer(message));
    }

    /** What is still queued or being retried is dropped and counted ({@code reason="shutdown"}). */
    @PreDestroy
    void close() {
        if (executor == null) {
            return;
        }
        for (NotificationSender sender : senders) {
            try {
                sender.close().get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("an alert notification sender did not close cleanly", e);
            }
        }
        executor.shutdownNow();
        destinations.forEach(Destination::close);
    }
}
