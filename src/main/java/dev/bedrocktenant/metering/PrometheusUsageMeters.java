package dev.bedrocktenant.metering;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import jakarta.inject.Singleton;

/**
 * The per-tenant Prometheus series of CONTRACT §8. Micrometer names map to the contract's
 * Prometheus names (dots become underscores; counters get {@code _total}, timers {@code _seconds}).
 * Cost is summed as an exact decimal and only shown as a number, so the scraped value is the exact
 * sum rather than an accumulation of binary-floating-point rounding. Meters are looked up once per
 * series and kept: registering through Micrometer's builders on every request costs more than the
 * rest of metering together. Counts and cost are kept per thread ({@link PerThreadTotals}) and read by
 * function counters when scraped.
 */
@Singleton
public class PrometheusUsageMeters {

    /** 50 ms to 5 min: LLM calls range from a quick classification to a long generation. */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(300)};

    // the counts of a (tenant, model)'s usage: tokens by type, and requests that could not be priced
    private static final int INPUT = 0, OUTPUT = 1, CACHE_READ = 2, CACHE_WRITE = 3, UNPRICED = 4;

    private final MeterRegistry registry;
    private final ModelLabels models;
    /**
     * By tenant, model label and operation, looked up with the request's own strings: no key object per
     * request, and the JDK's map code, which the proxy's hot path shares, sees no other key type here.
     */
    private final Map<String, Map<String, Map<String, Series>>> series = new ConcurrentHashMap<>();
    /** Tokens, unpriced requests and cost are labelled by tenant and model only: shared by its operations. */
    private final Map<Tags, PerThreadTotals> usageByTenantModel = new ConcurrentHashMap<>();

    /** The meters of one (tenant, model, operation). */
    private final class Series {
        /** Requests by outcome (indexed by ordinal). */
        final PerThreadTotals requests = new PerThreadTotals(Outcome.values().length);
        final PerThreadTotals usage;
        final Timer duration, timeToFirstToken;

        Series(String tenant, String model, String operationName) {
            Tags tenantModel = Tags.of("tenant", tenant, "model", model);
            Tags operation = tenantModel.and("operation", operationName);
            for (Outcome outcome : Outcome.values()) {
                FunctionCounter.builder("bedrock.tenant.requests", requests, r -> r.count(outcome.ordinal()))
                        .description("Requests by tenant, model, operation and outcome")
                        .tags(operation.and("outcome", outcome.label)).register(registry);
            }
            usage = usageByTenantModel.computeIfAbsent(tenantModel, PrometheusUsageMeters.this::usageMeters);
            duration = Timer.builder("bedrock.tenant.request.duration").description("Time from request to last byte")
                    .serviceLevelObjectives(LATENCY_BUCKETS).tags(operation).register(registry);
            timeToFirstToken = Timer.builder("bedrock.tenant.time.to.first.token")
                    .description("Time from request to the first generated content (streams)")
                    .serviceLevelObjectives(LATENCY_BUCKETS).tags(operation).register(registry);
        }
    }

    private PerThreadTotals usageMeters(Tags tenantModel) {
        PerThreadTotals usage = new PerThreadTotals(UNPRICED + 1);
        tokens(usage, tenantModel, INPUT, "input");
        tokens(usage, tenantModel, OUTPUT, "output");
        tokens(usage, tenantModel, CACHE_READ, "cache_read");
        tokens(usage, tenantModel, CACHE_WRITE, "cache_write");
        FunctionCounter.builder("bedrock.tenant.unpriced.requests", usage, u -> u.count(UNPRICED))
                .description("Requests whose model has no price").tags(tenantModel).register(registry);
        FunctionCounter.builder("bedrock.tenant.cost.usd", usage, u -> u.decimal().doubleValue())
                .description("Exact cost in USD by tenant and model").tags(tenantModel).register(registry);
        return usage;
    }

    private void tokens(PerThreadTotals usage, Tags tenantModel, int count, String type) {
        FunctionCounter.builder("bedrock.tenant.tokens", usage, u -> u.count(count))
                .description("Tokens by tenant, model and type").tags(tenantModel.and("type", type)).register(registry);
    }

    public PrometheusUsageMeters(MeterRegistry registry, MeteringConfig config) {
        this.registry = behindComposite(registry);
        this.models = new ModelLabels(config.maxModelsPerTenant());
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
        Series meters = seriesOf(usage.tenant(), usage.model(), usage.operation());
        meters.requests.add(usage.outcome().ordinal(), 1);
        TokenUsage tokens = usage.tokens();
        PerThreadTotals.Shard tenantModel = meters.usage.mine();
        count(tenantModel, INPUT, tokens.inputTokens());
        count(tenantModel, OUTPUT, tokens.outputTokens());
        count(tenantModel, CACHE_READ, tokens.cacheReadTokens());
        count(tenantModel, CACHE_WRITE, tokens.cacheWriteTokens());
        if (usage.costUsd().signum() != 0) {
            tenantModel.add(usage.costUsd());
        }
        if (!usage.priced() && tokens.reported()) {
            tenantModel.add(UNPRICED, 1);
        }
        meters.duration.record(usage.latency());
        if (usage.timeToFirstToken().isPresent()) {
            meters.timeToFirstToken.record(usage.timeToFirstToken().get());
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
                .computeIfAbsent(operation, op -> new Series(tenant, label, op));
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
