package dev.bedrocktenant.metering.prometheus;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the {@code model} label: the model id comes from the application, so a buggy or hostile
 * caller could otherwise create a new Prometheus series per request. Past the cap, a tenant's new
 * model ids are labelled {@link #OTHER}.
 */
final class ModelLabels {

    static final String OTHER = "_other";

    private final int maxPerTenant;
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

    ModelLabels(int maxPerTenant) {
        this.maxPerTenant = maxPerTenant;
    }

    String label(String tenant, String model) {
        Set<String> models = seen.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet());
        if (models.contains(model)) {
            return model;
        }
        synchronized (models) {
            if (models.size() >= maxPerTenant) {
                return OTHER;
            }
            models.add(model);
            return model;
        }
    }
}
