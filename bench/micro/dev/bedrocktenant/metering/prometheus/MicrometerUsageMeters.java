package dev.bedrocktenant.metering.prometheus;

import java.math.BigDecimal;
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

/**
 * What {@link PrometheusUsageMeters#record} does, with Micrometer's own meters in place of the per-thread totals
 * (as the proxy did before them): a Counter per outcome and token type, two Timers with the same buckets, the
 * exact cost in an AtomicReference shown by a FunctionCounter (Micrometer has no decimal counter). A series is
 * found by three map lookups, as the proxy finds its own.
 */
final class MicrometerUsageMeters {

    private final MeterRegistry registry;
    private final Map<String, Map<String, Map<String, Series>>> series = new ConcurrentHashMap<>();

    private final class Series {
        final Counter[] requests = new Counter[Outcome.values().length];
        final Counter input, output, cacheRead, cacheWrite, unpriced;
        final Timer duration, timeToFirstToken;
        final AtomicReference<BigDecimal> cost = new AtomicReference<>(BigDecimal.ZERO);

        Series(String tenant, String model, String operation) {
            Tags tenantModel = Tags.of("tenant", tenant, "model", model);
            Tags tags = tenantModel.and("operation", operation);
            for (Outcome outcome : Outcome.values()) {
                requests[outcome.ordinal()] = Counter.builder("bedrock.tenant.requests")
                        .tags(tags.and("outcome", outcome.label)).register(registry);
            }
            input = tokens(tenantModel, "input");
            output = tokens(tenantModel, "output");
            cacheRead = tokens(tenantModel, "cache_read");
            cacheWrite = tokens(tenantModel, "cache_write");
            unpriced = Counter.builder("bedrock.tenant.unpriced.requests").tags(tenantModel).register(registry);
            duration = Timer.builder("bedrock.tenant.request.duration")
                    .serviceLevelObjectives(LatencyHistogram.BUCKETS).tags(tags).register(registry);
            timeToFirstToken = Timer.builder("bedrock.tenant.time.to.first.token")
                    .serviceLevelObjectives(LatencyHistogram.BUCKETS).tags(tags).register(registry);
            FunctionCounter.builder("bedrock.tenant.cost.usd", cost, c -> c.get().doubleValue()).tags(tenantModel)
                    .register(registry);
        }

        private Counter tokens(Tags tenantModel, String type) {
            return Counter.builder("bedrock.tenant.tokens").tags(tenantModel.and("type", type)).register(registry);
        }
    }

    MicrometerUsageMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Usage usage) {
        Series meters = seriesOf(usage.tenant(), usage.model(), usage.operation());
        meters.requests[usage.outcome().ordinal()].increment();
        TokenUsage tokens = usage.tokens();
        count(meters.input, tokens.inputTokens());
        count(meters.output, tokens.outputTokens());
        count(meters.cacheRead, tokens.cacheReadTokens());
        count(meters.cacheWrite, tokens.cacheWriteTokens());
        if (usage.costUsd().signum() != 0) {
            meters.cost.accumulateAndGet(usage.costUsd(), BigDecimal::add);
        }
        if (!usage.priced() && tokens.anyUsed()) {
            meters.unpriced.increment();
        }
        meters.duration.record(usage.latency());
        if (usage.timeToFirstToken().isPresent()) {
            meters.timeToFirstToken.record(usage.timeToFirstToken().get());
        }
    }

    private Series seriesOf(String tenant, String model, String operation) {
        return series.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(model, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(operation, op -> new Series(tenant, model, op));
    }

    private static void count(Counter counter, OptionalLong tokens) {
        if (tokens.isPresent() && tokens.getAsLong() > 0) {
            counter.increment(tokens.getAsLong());
        }
    }
}
