package dev.bedrocktenant.metering;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import dev.bedrocktenant.metering.cloudwatch.CloudWatchExporter;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import dev.bedrocktenant.metering.prometheus.PrometheusUsageMeters;
import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Hands each finished request's {@link Usage} to every sink: Prometheus (in memory), CloudWatch
 * (aggregated in memory, sent later) and the usage ledger (its crash journal, or its writer thread's queue).
 * Nothing here blocks; the returned future completes when the ledger has the line (at once, when the journal
 * took it), or when it could not take it (in time) — the response then goes out anyway and the miss is
 * counted.
 */
@Singleton
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private final PrometheusUsageMeters prometheus;
    private final CloudWatchExporter cloudWatch;
    private final UsageLedger ledger;
    private final Counter lateLedgerLines;
    private final Map<Context, Executor> acknowledgements = new ConcurrentHashMap<>();
    /** Asked for by the ledger only for a line its journal could not take, on the thread that appends it. */
    private final Supplier<Executor> acknowledgementsHere = () -> acknowledgementsOn(Vertx.currentContext());

    public UsageRecorder(PrometheusUsageMeters prometheus, CloudWatchExporter cloudWatch, UsageLedger ledger,
                         MeterRegistry registry) {
        this.prometheus = prometheus;
        this.cloudWatch = cloudWatch;
        this.ledger = ledger;
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
        CompletableFuture<Void> appended = ledger.append(usage, acknowledgementsHere);
        if (appended == UsageLedger.IN_JOURNAL) {
            return Future.succeededFuture(); // in the journal already: the response need not wait for the writer
        }
        Context context = Vertx.currentContext();
        CompletableFuture<Void> line = appended.whenComplete((written, failure) -> {
            if (failure != null) {
                lateLedgerLines.increment();
                LOG.errorf("request_id=%s tenant=%s ledger line not confirmed: %s", usage.requestId(),
                        usage.tenant(), failure.toString());
            }
        });
        return Future.<Void>fromCompletionStage(line, context).otherwiseEmpty();
    }

    /**
     * The event loop's root context, not the request's own (duplicated) one: the requests of one event loop
     * then share it, and the ledger hands back all of a write's lines for that loop in one task.
     */
    private Executor acknowledgementsOn(Context context) {
        Context root = VertxContext.getRootContext(context);
        return acknowledgements.computeIfAbsent(root, loop -> task -> loop.runOnContext(v -> task.run()));
    }

    public void countUnreadableUsage(String tenant, String model) {
        prometheus.countUnreadableUsage(tenant, model);
    }
}
