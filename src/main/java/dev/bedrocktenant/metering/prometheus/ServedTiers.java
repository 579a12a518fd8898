package dev.bedrocktenant.metering.prometheus;

import java.util.List;

import dev.bedrocktenant.usage.ServedTier;
import dev.bedrocktenant.wire.BedrockHeaders;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The requests of one (tenant, model) by the service tier Bedrock served them in, and those of them priced at the
 * default tier's prices for want of the tier's own: {@code bedrock_tenant_service_tier_requests_total} and
 * {@code bedrock_tenant_service_tier_unpriced_requests_total}, labelled {@code service_tier}. A new counter
 * rather than a label on the existing ones, whose label sets dashboards and rules depend on. Counted in slots of
 * the operations' own {@link PerThreadTotals}, and a tier's series is registered when it is first seen, so a tenant
 * whose calls name no tier shows none.
 */
final class ServedTiers {

    /** Bedrock's tiers as its service model lists them; any other is labelled {@link #OTHER} (labels stay bounded). */
    static final List<String> LABELS = BedrockHeaders.SERVICE_TIERS;
    static final String OTHER = "_other";
    /** Slots per series: requests by tier, then those priced at default by tier ({@link #OTHER} included). */
    static final int SLOTS = 2 * (LABELS.size() + 1);

    private final MeterRegistry registry;
    private final Tags tenantModel;
    private final List<PrometheusUsageMeters.Series> operations;
    private final int firstSlot;
    /** Read without a lock: a stale false only repeats a registration, which Micrometer answers with the same meter. */
    private final boolean[] registered = new boolean[LABELS.size() + 1];

    ServedTiers(MeterRegistry registry, Tags tenantModel, List<PrometheusUsageMeters.Series> operations, int firstSlot) {
        this.registry = registry;
        this.tenantModel = tenantModel;
        this.operations = operations;
        this.firstSlot = firstSlot;
    }

    void record(PerThreadTotals.Shard shard, String tier, boolean priced) {
        int index = LABELS.indexOf(tier);
        if (index < 0) {
            index = LABELS.size();
        }
        shard.add(firstSlot + index, 1);
        if (!priced) {
            shard.add(firstSlot + LABELS.size() + 1 + index, 1);
        }
        if (!registered[index]) {
            register(index);
        }
    }

    private synchronized void register(int index) {
        Tags tags = tenantModel.and("service_tier", index < LABELS.size() ? LABELS.get(index) : OTHER);
        int requests = firstSlot + index;
        int unpriced = firstSlot + LABELS.size() + 1 + index;
        FunctionCounter.builder("bedrock.tenant.service.tier.requests", operations, o -> sum(o, requests))
                .description("Requests by tenant, model and the service tier Bedrock served them in")
                .tags(tags).register(registry);
        FunctionCounter.builder("bedrock.tenant.service.tier.unpriced.requests", operations, o -> sum(o, unpriced))
                .description("Requests served in a tier their model has no prices for, priced at its default tier's")
                .tags(tags).register(registry);
        registered[index] = true;
    }

    private static double sum(List<PrometheusUsageMeters.Series> operations, int slot) {
        long sum = 0;
        for (PrometheusUsageMeters.Series operation : operations) {
            sum += operation.totals().count(slot);
        }
        return sum;
    }
}
