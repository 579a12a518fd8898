package dev.bedrocktenant.budget.redis;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.testing.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** Two sidecars' Redis stores, each with its own client and metrics, over one redis-server, once it answers both. */
public final class Sidecars implements AutoCloseable {

    /** One sidecar's store and what it shows. */
    public record Sidecar(RedisStateStore store, MeterRegistry registry, Redis client) {

        /** bedrock_tenant_state_store_up as this sidecar exports it. */
        public double up() {
            return registry.get(RedisStateStore.UP).gauge().value();
        }
    }

    record Config(Duration timeout, Duration checkInterval, Duration inFlightTtl, String keyPrefix) implements RedisStateConfig {
    }

    private final Vertx vertx = Vertx.vertx();
    private final Sidecar first;
    private final Sidecar second;

    public Sidecars(RedisServer server, Duration timeout) {
        Config config = new Config(timeout, Duration.ofMillis(100), Duration.ofMinutes(15), "btp");
        first = sidecar(server, config);
        second = sidecar(server, config);
        await().atMost(10, TimeUnit.SECONDS).until(() -> first.up() == 1.0 && second.up() == 1.0);
    }

    public Sidecar first() {
        return first;
    }

    public Sidecar second() {
        return second;
    }

    private Sidecar sidecar(RedisServer server, Config config) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolWaiting(1000));
        MeterRegistry registry = new SimpleMeterRegistry();
        return new Sidecar(new RedisStateStore(client, config, vertx.getDelegate(), registry), registry, client);
    }

    @Override
    public void close() {
        for (Sidecar sidecar : new Sidecar[] {first, second}) {
            sidecar.store().close();
            sidecar.client().close();
        }
        vertx.closeAndAwait();
    }
}
