package dev.bedrocktenant.metering.prometheus;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.bedrocktenant.metering.MeteringConfig;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.inject.Singleton;

/**
 * The per-tenant Prometheus series (docs/reference.md, Metrics). Micrometer names map to the reference's
 * Prometheus names (dots become underscores; counters get {@code _total}). Cost is summed as an exact decimal
 * and only shown as a number, so the scraped value is the exact sum rather than an accumulation of
 * binary-floating-point rounding. Everything a request adds to goes to one {@link PerThreadTotals} per
 * (tenant, model, operation), so a request makes one thread-local lookup and its adds land in its thread's own
 * shard; counters read those totals when scraped (function counters), and the latency histograms are shown by
 * {@link PrometheusHistograms}. Series are looked up once and kept: registering through Micrometer's builders
 * on every request costs more than the rest of metering together.
 */
@Singleton
public class PrometheusUsageMeters {

    // a series' slots: requests by outcome, tokens by type, requests that could not be priced, two histograms
    private static final int OUTCOMES = 0;
    private static final int INPUT = OUTCOMES + Outcome.values().length, OUTPUT = INPUT + 1,
            CACHE_READ = INPUT + 2, CACHE_WRITE = INPUT + 3, UNPRICED = INPUT + 4;
    static final LatencyHistogram DURATION = new LatencyHistogram(UNPRICED + 1);
    static final LatencyHistogram TIME_TO_FIRST_TOKEN = new LatencyHistogram(UNPRICED + 1 + LatencyHistogram.SLOTS);
    private static final int SERVED_TIERS = UNPRICED + 1 + 2 * LatencyHistogram.SLOTS;
    private static final int SLOTS = SERVED_TIERS + ServedTiers.SLOTS;

    private final MeterRegistry registry;
    private final ModelLabels models;
    /**
     * By tenant, model label and operation, looked up with the request's own strings: no key object per
     * request, and the JDK's map code, which the proxy's hot path shares, sees no other key type here.
     * (Remembering each thread's last series instead saved 2–10 ns a request: bench/README.md.)
     */
    private final Map<String, Map<String, Map<String, Series>>> series = new ConcurrentHashMap<>();
    /** Tokens, unpriced requests and cost are labelled by tenant and model only: the sums of its operations' series. */
    private final Map<Tags, List<Series>> byTenantModel = new ConcurrentHashMap<>();
    private final Map<Tags, ServedTiers> servedTiers = new ConcurrentHashMap<>();
    private final List<Series> all = new CopyOnWriteArrayList<>();
    /** The totals of one (tenant, model, operation), and the served-tier counters of its (tenant, model). */
    record Series(Tags tags, PerThreadTotals totals, ServedTiers tiers) {
    }

    public PrometheusUsageMeters(MeterRegistry registry, MeteringConfig config) {
        this.registry = behindComposite(registry);
        this.models = new ModelLabels(config.maxModelsPerTenant());
        if (this.registry instanceof PrometheusMeterRegistry prometheus) {
            prometheus.getPrometheusRegistry().register(new PrometheusHistograms(all));
        }
    }

    /**
     * The one registry behind Quarkus' composite, when there is just one (Prometheus): each increment through
     * the composite walks its children, which for a handful of meters per request is a measurable cost.
     */
    private static MeterRegistry behindComposite(MeterRegistry registry) {
        if (registry instanceof CompositeMeterRegistry composite && composite.getRegistries().size() == 1) {
            return composite.getRegistries().iterator().next();
        }
        return registry;
    }

    public void record(Usage usage) {
        Series found = seriesOf(usage.tenant(), usage.model(), usage.operation());
        PerThreadTotals.Shard shard = found.totals.mine();
        shard.add(OUTCOMES + usage.outcome().ordinal(), 1);
        TokenUsage tokens = usage.tokens();
        count(shard, INPUT, tokens.inputTokens());
        count(shard, OUTPUT, tokens.outputTokens());
        count(shard, CACHE_READ, tokens.cacheReadTokens());
        count(shard, CACHE_WRITE, tokens.cacheWriteTokens());
        if (usage.costUsd().signum() != 0) {
            shard.add(usage.costUsd());
        }
        if (!usage.priced() && tokens.anyUsed()) {
            shard.add(UNPRICED, 1);
        }
        if (usage.serviceTier().isPresent()) {
            found.tiers.record(shard, usage.serviceTier().get(), usage.tierPriced() || !tokens.anyUsed());
        }
        DURATION.record(shard, usage.latency());
        if (usage.timeToFirstToken().isPresent()) {
            TIME_TO_FIRST_TOKEN.record(shard, usage.timeToFirstToken().get());
        }
    }

    private Series seriesOf(String tenant, String model, String operation) {
        Map<String, Map<String, Series>> byModel = series.get(tenant);
        Map<String, Series> byOperation = byModel == null ? null : byModel.get(model);
        Series found = byOperation == null ? null : byOperation.get(operation);
        if (found != null) {
            return found;
        }
        // a new series, or a model past the tenant's cap (then labelled _other, and never kept by its own id)
        String label = models.label(tenant, model);
        return series.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(label, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(operation, op -> newSeries(tenant, label, op));
    }

    private Series newSeries(String tenant, String model, String operation) {
        Tags tenantModel = Tags.of("tenant", tenant, "model", model);
        List<Series> operations = byTenantModel.computeIfAbsent(tenantModel, this::tenantModelMeters);
        ServedTiers tiers = servedTiers.computeIfAbsent(tenantModel,
                tm -> new ServedTiers(registry, tm, operations, SERVED_TIERS));
        Series created = new Series(tenantModel.and("operation", operation), new PerThreadTotals(SLOTS), tiers);
        for (Outcome outcome : Outcome.values()) {
            FunctionCounter.builder("bedrock.tenant.requests", created.totals, t -> t.count(OUTCOMES + outcome.ordinal()))
                    .description("Requests by tenant, model, operation and outcome")
                    .tags(created.tags.and("outcome", outcome.label)).register(registry);
        }
        operations.add(created);
        all.add(created);
        return created;
    }

    private List<Series> tenantModelMeters(Tags tenantModel) {
        List<Series> operations = new CopyOnWriteArrayList<>();
        tokens(operations, tenantModel, INPUT, "input");
        tokens(operations, tenantModel, OUTPUT, "output");
        tokens(operations, tenantModel, CACHE_READ, "cache_read");
        tokens(operations, tenantModel, CACHE_WRITE, "cache_write");
        FunctionCounter.builder("bedrock.tenant.unpriced.requests", operations, o -> sum(o, UNPRICED))
                .description("Requests whose model has no price").tags(tenantModel).register(registry);
        FunctionCounter.builder("bedrock.tenant.cost.usd", operations, o -> cost(o).doubleValue())
                .description("Exact cost in USD by tenant and model").tags(tenantModel).register(registry);
        return operations;
    }

    private void tokens(List<Series> operations, Tags tenantModel, int count, String type) {
        FunctionCounter.builder("bedrock.tenant.tokens", operations, o -> sum(o, count))
                .description("Tokens by tenant, model and type").tags(tenantModel.and("type", type)).register(registry);
    }

    private static double sum(List<Series> operations, int count) {
        long sum = 0;
        for (Series operation : operations) {
            sum += operation.totals.count(count);
        }
        return sum;
    }

    private static BigDecimal cost(List<Series> operations) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Series operation : operations) {
            sum = sum.add(operation.totals.decimal());
        }
        return sum;
    }

    /** Counted apart from requests: a response whose usage could not be read is not silently zero. */
    public void countUnreadableUsage(String tenant, String model) {
        Counter.builder("bedrock.tenant.usage.unreadable.responses")
                .description("Responses whose token usage could not be read")
                .tags("tenant", tenant, "model", models.label(tenant, model)).register(registry).increment();
    }

    private static void count(PerThreadTotals.Shard usage, int count, OptionalLong tokens) {
        if (tokens.isPresent() && tokens.getAsLong() > 0) {
            usage.add(count, tokens.getAsLong());
        }
    }
}
