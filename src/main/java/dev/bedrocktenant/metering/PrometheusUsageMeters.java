package dev.bedrocktenant.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The per-tenant Prometheus series of CONTRACT §8. Micrometer names map to the contract's
 * Prometheus names (dots become underscores; counters get {@code _total}, timers {@code _seconds}).
 * Cost is summed as an exact decimal and only shown as a number, so the scraped value is the exact
 * sum rather than an accumulation of binary-floating-point rounding.
 */
@ApplicationScoped
public class PrometheusUsageMeters {

    /** 50 ms to 5 min: LLM calls range from a quick classification to a long generation. */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(300)};

    private final MeterRegistry registry;
    private final ModelLabels models;
    private final Map<Tags, AtomicReference<BigDecimal>> costs = new ConcurrentHashMap<>();

    public PrometheusUsageMeters(MeterRegistry registry, MeteringConfig config) {
        this.registry = registry;
        this.models = new ModelLabels(config.maxModelsPerTenant());
    }

    public void record(Usage usage) {
        String model = models.label(usage.tenant(), usage.model());
        Tags tenantModel = Tags.of("tenant", usage.tenant(), "model", model);
        Tags operation = tenantModel.and("operation", usage.operation());

        Counter.builder("bedrock.tenant.requests").description("Requests by tenant, model, operation and outcome")
                .tags(operation.and("outcome", usage.outcome().label)).register(registry).increment();
        TokenUsage tokens = usage.tokens();
        count(tenantModel, "input", tokens.inputTokens());
        count(tenantModel, "output", tokens.outputTokens());
        count(tenantModel, "cache_read", tokens.cacheReadTokens());
        count(tenantModel, "cache_write", tokens.cacheWriteTokens());
        addCost(tenantModel, usage.costUsd());
        if (!usage.priced() && tokens.reported()) {
            Counter.builder("bedrock.tenant.unpriced.requests").description("Requests whose model has no price")
                    .tags(tenantModel).register(registry).increment();
        }
        Timer.builder("bedrock.tenant.request.duration").description("Time from request to last byte")
                .serviceLevelObjectives(LATENCY_BUCKETS).tags(operation).register(registry)
                .record(usage.latency());
        usage.timeToFirstToken().ifPresent(ttft -> Timer.builder("bedrock.tenant.time.to.first.token")
                .description("Time from request to the first generated content (streams)")
                .serviceLevelObjectives(LATENCY_BUCKETS).tags(operation).register(registry).record(ttft));
    }

    /** Counted apart from requests: a response whose usage could not be read is not silently zero. */
    public void countUnreadableUsage(String tenant, String model) {
        Counter.builder("bedrock.tenant.usage.unreadable.responses")
                .description("Responses whose token usage could not be read")
                .tags("tenant", tenant, "model", models.label(tenant, model)).register(registry).increment();
    }

    private void count(Tags tenantModel, String type, OptionalLong tokens) {
        if (tokens.isPresent() && tokens.getAsLong() > 0) {
            Counter.builder("bedrock.tenant.tokens").description("Tokens by tenant, model and type")
                    .tags(tenantModel.and("type", type)).register(registry).increment(tokens.getAsLong());
        }
    }

    private void addCost(Tags tenantModel, BigDecimal usd) {
        AtomicReference<BigDecimal> total = costs.computeIfAbsent(tenantModel, tags -> {
            AtomicReference<BigDecimal> sum = new AtomicReference<>(BigDecimal.ZERO);
            FunctionCounter.builder("bedrock.tenant.cost.usd", sum, s -> s.get().doubleValue())
                    .description("Exact cost in USD by tenant and model").tags(tags).register(registry);
            return sum;
        });
        total.accumulateAndGet(usd, BigDecimal::add);
    }

    /** The exact cost so far for a tenant and model label; what the counter shows, before conversion. */
    public BigDecimal costUsd(String tenant, String model) {
        AtomicReference<BigDecimal> total = costs.get(Tags.of("tenant", tenant, "model", model));
        return total == null ? BigDecimal.ZERO : total.get();
    }
}
