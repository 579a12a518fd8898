package dev.bedrocktenant.budget;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The store of tenants' counters that proxy.state names. */
@ApplicationScoped
public class StateStoreProducer {

    @Produces
    @Singleton
    StateStore store(LimitsConfig config) {
        if (config.state() == LimitsConfig.State.REDIS) {
            throw new IllegalStateException("proxy.state=redis is not available in this build");
        }
        return new MemoryStateStore();
    }
}
