package dev.bedrocktenant.metering;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Hands each finished request's {@link Usage} to every sink: Prometheus (in memory), CloudWatch
 * (aggregated in memory, sent later) and the usage ledger (written by its own thread). Nothing here
 * blocks; the returned future completes when the ledger has the line, or when it could not take
 * it in time — the response then goes out anyway and the miss is counted.
 */
@ApplicationScoped
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private final PrometheusUsageMeters prometheus;
    private final CloudWatchExporter cloudWatch;
    private final UsageLedger ledger;
    private final long maxWaitMillis;
    private final Counter lateLedgerLines;

    public UsageRecorder(PrometheusUsageMeters prometheus, CloudWatchExporter cloudWatch, UsageLedger ledger,
                         MeteringConfig config, MeterRegistry registry) {
        this.prometheus = prometheus;
        this.cloudWatch = cloudWatch;
        this.ledger = ledger;
        this.maxWaitMillis = config.maxLedgerWait().toMillis();
        this.lateLedgerLines = Counter.builder("bedrock.tenant.ledger.late.lines")
                .description("Responses released before their ledger line was confirmed written")
                .register(registry);
    }

    /**
     * Call on the event loop: the returned future completes back on the caller's context, and never
     * fails — a line not confirmed in time is counted and logged here.
     */
    public Future<Void> record(Usage usage) {
        prometheus.record(usage);
        cloudWatch.record(usage);
        CompletableFuture<Void> line = ledger.append(usage)
                .orTimeout(maxWaitMillis, TimeUnit.MILLISECONDS)
                .whenComplete((written, failure) -> {
                    if (failure != null) {
                        lateLedgerLines.increment();
                        LOG.errorf("request_id=%s tenant=%s ledger line not confirmed: %s", usage.requestId(),
                                usage.tenant(), failure.toString());
                    }
                });
        return Future.<Void>fromCompletionStage(line, Vertx.currentContext()).otherwiseEmpty();
    }

    public void countUnreadableUsage(String tenant, String model) {
        prometheus.countUnreadableUsage(tenant, model);
    }
}
