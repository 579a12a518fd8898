package dev.bedrocktenant.metering.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;

import dev.bedrocktenant.metering.TestMeteringConfig;
import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.metering.Usages;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class PrometheusUsageMetersTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double requests(String tenant, String model) {
        FunctionCounter counter = registry.find("bedrock.tenant.requests").tags("tenant", tenant, "model", model)
                .tag("outcome", "success").functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private static void record(PrometheusUsageMeters meters, String tenant, String model) {
        meters.record(TestUsages.usage("r", AT, tenant, model, new BigDecimal("0.5")));
    }

    @Test
    void modelsPastATenantsCapShareTheOtherLabelAndKnownOnesKeepTheirs() {
        PrometheusUsageMeters meters = new PrometheusUsageMeters(registry, new TestMeteringConfig(2));
        for (int round = 0; round < 3; round++) {
            record(meters, "acme", "model-a");
            record(meters, "acme", "model-b");
            record(meters, "acme", "model-c-" + round); // a new id every time, as a hostile caller might send
            record(meters, "globex", "model-c-0");      // another tenant has its own cap
        }
        assertEquals(3, requests("acme", "model-a"));
        assertEquals(3, requests("acme", "model-b"));
        assertEquals(3, requests("acme", ModelLabels.OTHER));
        assertEquals(0, requests("acme", "model-c-0"));
        assertEquals(3, requests("globex", "model-c-0"));
        assertEquals(new BigDecimal("1.5").doubleValue(),
                registry.get("bedrock.tenant.cost.usd").tags("tenant", "acme", "model", ModelLabels.OTHER)
                        .functionCounter().count());
    }

    @Test
    void metersGoStraightToTheOneRegistryBehindAComposite() {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(registry);
        record(new PrometheusUsageMeters(composite, new TestMeteringConfig(10)), "acme", "model-a");
        assertEquals(1, requests("acme", "model-a"));
        assertNull(composite.find("bedrock.tenant.requests").meter(), "not through the composite");
    }

    @Test
    void aRequestOfAnUnpricedModelIsUnpricedOnlyWhenItUsedTokens() {
        PrometheusUsageMeters meters = new PrometheusUsageMeters(registry, new TestMeteringConfig(10));
        Usage refused = Usages.failed("acme", "no-price-model", 403, Outcome.REJECTED, 1);
        Usage cutOff = TestUsages.cutOff("r", AT);
        Usage answered = Usages.success("acme", "no-price-model", 10, 2, "0", 100);
        for (Usage usage : new Usage[] {refused, cutOff, answered}) {
            meters.record(new Usage(usage.timestamp(), usage.requestId(), usage.tenant(), usage.model(),
                    usage.profileArn(), usage.operation(), usage.tokens(), usage.costUsd(), false, usage.status(),
                    usage.outcome(), usage.partial(), usage.latency(), usage.timeToFirstToken()));
        }
        assertEquals(1, registry.get("bedrock.tenant.unpriced.requests").tags("tenant", "acme", "model", "no-price-model")
                .functionCounter().count(), "the answered request only: the refusal used nothing");
        assertEquals(0, registry.get("bedrock.tenant.unpriced.requests").tags("tenant", "globex")
                .functionCounter().count(), "unknown tokens are counted as unreadable, not unpriced");
    }
}
