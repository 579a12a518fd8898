package dev.bedrocktenant.metering.cloudwatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.bedrocktenant.signing.RequestSigner;
import dev.bedrocktenant.signing.SigningConfig;
import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * Exports per-tenant usage to CloudWatch (docs/reference.md §6). {@link #record} only adds to in-memory
 * totals; a timer of its own ends each flush interval and sends the totals as StatisticSets, off
 * the request path. Built at start-up ({@link Startup}) so that creating the SDK client never
 * happens on an event loop.
 */
@Startup
@Singleton
public class CloudWatchExporter {

    private static final Logger LOG = Logger.getLogger(CloudWatchExporter.class);

    static final String DROPPED_USAGES = "bedrock.tenant.cloudwatch.dropped.usages";

    private final ExportSettings settings;
    private final Clock clock;
    /** Null when export is disabled: then nothing else exists either. */
    private final IntervalTotals aggregator;
    private final CloudWatchAsyncClient client;
    private final ScheduledExecutorService executor;
    private final BatchSender sender;
    private final Counter droppedUsages;

    @Inject
    public CloudWatchExporter(CloudWatchConfig config, SigningConfig signing, RequestSigner signer, MeterRegistry registry) {
        this(config.enabled() ? ExportSettings.of(config) : null,
                config.enabled() ? CloudWatchClients.forExport(signing.region(), config.endpoint(),
                        signer.credentials(), config.requestTimeout()) : null,
                registry, Clock.systemUTC());
        if (config.enabled()) {
            LOG.infof("exporting usage to CloudWatch namespace %s in %s every %s%s", settings.namespace(),
                    signing.region(), settings.flushInterval(), config.endpoint().map(e -> " via " + e).orElse(""));
        }
    }

    /**
     * @param settings null to disable export: {@link #record} then does nothing
     * @param client   closed by {@link #shutdown}
     */
    public CloudWatchExporter(ExportSettings settings, CloudWatchAsyncClient client, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = client;
        if (settings == null) {
            aggregator = null;
            executor = null;
            sender = null;
            droppedUsages = null;
            return;
        }
        aggregator = new IntervalTotals(settings.maxSeries());
        droppedUsages = Counter.builder(DROPPED_USAGES)
                .description("Usages not aggregated for CloudWatch: more distinct tenant/model series than proxy.cloudwatch.max-series")
                .tag("reason", "series_limit")
                .register(registry);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cloudwatch-exporter");
            t.setDaemon(true);
            return t;
        });
        sender = new BatchSender(client, executor, settings, registry);
        long interval = settings.flushInterval().toMillis();
        // aligned to the wall clock, so every sidecar's intervals end on the same minute boundaries
        long firstDelay = interval - Math.floorMod(clock.millis(), interval);
        executor.scheduleAtFixedRate(this::flushSafely, firstDelay, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Adds one finished request to the current interval. Called on the event loop: no I/O, no waiting;
     * a usage that finds no room (too many series) is dropped and counted.
     */
    public void record(Usage usage) {
        if (aggregator != null && !aggregator.add(usage)) {
            droppedUsages.increment();
        }
    }

    public boolean enabled() {
        return aggregator != null;
    }

    /**
     * Ends the current interval now, on the caller's thread (a record() after this returns belongs to
     * the next interval); completes when its datums are sent or given up on. For tests and shutdown.
     */
    CompletableFuture<Void> flushNow() {
        if (aggregator == null) {
            return CompletableFuture.completedFuture(null);
        }
        Instant end = clock.instant();
        Map<SeriesKey, SeriesTotals> series = aggregator.drain();
        return CompletableFuture.runAsync(() -> send(series, end), executor).thenCompose(v -> sender.whenIdle());
    }

    private void flushSafely() {
        Instant end = clock.instant(); // the datums' timestamp: the end of the interval they cover
        send(aggregator.drain(), end);
    }

    private void send(Map<SeriesKey, SeriesTotals> series, Instant end) {
        try {
            if (series.isEmpty()) {
                return;
            }
            List<MetricDatum> datums = MetricDatums.of(series, end);
            PutMetricDataBatches.split(datums).forEach(sender::submit);
        } catch (RuntimeException e) {
            // a failing flush must not cancel the timer
            LOG.error("CloudWatch flush failed", e);
        }
    }

    /** Sends the last interval, waiting at most {@code shutdown-timeout}; what is still unsent then is counted as dropped. */
    @PreDestroy
    void shutdown() {
        if (aggregator == null) {
            return;
        }
        Duration timeout = settings.shutdownTimeout();
        try {
            flushNow().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("CloudWatch: last interval not sent within %s", timeout);
        } catch (Exception e) {
            LOG.warn("CloudWatch: last interval not sent", e);
        }
        try {
            sender.close().get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("CloudWatch sender did not close cleanly", e);
        }
        executor.shutdownNow();
        client.close();
    }
}
