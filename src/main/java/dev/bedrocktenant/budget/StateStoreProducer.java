package dev.bedrocktenant.budget;

import dev.bedrocktenant.budget.redis.RedisStateConfig;
import dev.bedrocktenant.budget.redis.RedisStateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The store of tenants' counters that proxy.state names. */
@ApplicationScoped
public class StateStoreProducer {

    /** @param redis the client of quarkus.redis.hosts, looked up only with proxy.state=redis */
    @Produces
    @Singleton
    StateStore store(LimitsConfig config, Instance<Redis> redis, RedisStateConfig redisConfig, Vertx vertx,
                     MeterRegistry registry) {
        if (config.state() == LimitsConfig.State.REDIS) {
            return new RedisStateStore(redis.get(), redisConfig, vertx, registry);
        }
        return new MemoryStateStore();
    }

    /** Made at start, so that Redis is connected to (and its gauge shown) before the first request. */
    void start(@Observes StartupEvent event, StateStore store) {
        store.where();
    }

    void close(@Disposes StateStore store) {
        if (store instanceof RedisStateStore redis) {
            redis.close();
        }
    }
}
