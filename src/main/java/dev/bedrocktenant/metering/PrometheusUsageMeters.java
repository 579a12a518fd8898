package dev.bedrocktenant.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

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
 * rest of metering together.
 */
@Singleton
public class PrometheusUsageMeters {

    /** 50 ms to 5 min: LLM calls range from a quick classification to a long generation. */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(300)};

    private final MeterRegistry registry;
    private final ModelLabels models;
    private final Map<SeriesKey, Series> series = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicReference<BigDecimal>> costs = new ConcurrentHashMap<>();

    private record SeriesKey(String tenant, String model, String operation) {
    }

    /** The meters of one (tenant, model, operation). */
    private final class Series {
        final Tags tenantModel;
        final Tags operation;
        final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
        final Counter input, output, cacheRead, cacheWrite, unpriced;
        final Timer duration, timeToFirstToken;
        final AtomicReference<BigDecimal> cost;

        Series(SeriesKey key) {
            tenantModel = Tags.of("tenant", key.tenant(), "model", key.model());
            operation = tenantModel.and("operation", key.operation());
            for (Outcome outcome : Outcome.values()) {
                requests.put(outcome, Counter.builder("bedrock.tenant.requests")
                        .description("Requests by tenant, model, operation and outcome")
                        .tags(operation.and("outcome", outcome.label)).register(registry));
            }
            input = tokens("input");
            output = tokens("output");
            cacheRead = tokens("cache_read");
            cacheWrite = tokens("cache_write");
            unpriced = Counter.builder("bedrock.tenant.unpriced.requests").description("Requests whose model has no price")
                    .tags(tenantModel).register(registry);
            duration = Timer.builder("bedrock.tenant.request.duration").description("Time from request to last byte")
                    .serviceLevelObjectives(LATENCY_BUCKETS).tags(operation).register(registry);
            timeToFirstToken = Timer.builder("bedrock.tenant.time.to.first.token")
                    .description("Time from request to the first generated content (streams)")
                    .serviceLevelObjectives(LATENCY_BUCKETS).tags(operation).register(registry);
            cost = costs.computeIfAbsent(tenantModel, tags -> {
                AtomicReference<BigDecimal> sum = new AtomicReference<>(BigDecimal.ZERO);
                FunctionCounter.builder("bedrock.tenant.cost.usd", sum, s -> s.get().doubleValue())
                        .description("Exact cost in USD by tenant and model").tags(tags).register(registry);
                return sum;
            });
        }

        private Counter tokens(String type) {
            return Counter.builder("bedrock.tenant.tokens").description("Tokens by tenant, model and type")
                    .tags(tenantModel.and("type", type)).register(registry);
        }
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
        Series meters = series.get(new SeriesKey(usage.tenant(), usage.model(), usage.operation()));
        if (meters == null) { // a new series, or a model past the tenant's cap (then labelled _other)
            meters = series.computeIfAbsent(new SeriesKey(usage.tenant(), models.label(usage.tenant(), usage.model()),
                    usage.operation()), Series::new);
        }
        meters.requests.get(usage.outcome()).increment();
        TokenUsage tokens = usage.tokens();
        count(meters.input, tokens.inputTokens());
        count(meters.output, tokens.outputTokens());
        count(meters.cacheRead, tokens.cacheReadTokens());
        count(meters.cacheWrite, tokens.cacheWriteTokens());
        if (usage.costUsd().signum() != 0) {
            meters.cost.accumulateAndGet(usage.costUsd(), BigDecimal::add);
        }
        if (!usage.priced() && tokens.reported()) {
            meters.unpriced.increment();
        }
        meters.duration.record(usage.latency());
        usage.timeToFirstToken().ifPresent(meters.timeToFirstToken::record);
    }

    /** Counted apart from requests: a response whose usage could not be read is not silently zero. */
    public void countUnreadableUsage(String tenant, String model) {
        Counter.builder("bedrock.tenant.usage.unreadable.responses")
                .description("Responses whose token usage could not be read")
                .tags("tenant", tenant, "model", models.label(tenant, model)).register(registry).increment();
    }

    private static void count(Counter counter, OptionalLong tokens) {
        if (tokens.isPresent() && tokens.getAsLong() > 0) {
            counter.increment(tokens.getAsLong());
        }
    }
}
