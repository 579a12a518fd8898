package dev.bedrocktenant.budget.redis;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The shared counters of {@code proxy.state=redis} (the server itself: {@code quarkus.redis.hosts}). */
@ConfigMapping(prefix = "proxy.redis")
public interface RedisStateConfig {

    /**
     * Longest a request waits for Redis before it is admitted under this proxy's own limits instead. Redis
     * answers in well under a millisecond on its network; a JVM warming up or pausing for its collector can
     * take a few hundred, which must not count as Redis gone. A refused connection fails at once.
     */
    @WithDefault("1s")
    Duration timeout();

    /** How often Redis is asked whether it is back, and what was counted here meanwhile is merged into it. */
    @WithDefault("1s")
    Duration checkInterval();

    /**
     * How long a tenant's requests in flight and their reservations stay counted with no request of the tenant
     * admitted or settled: what a sidecar that died mid-request leaves behind is forgotten after this.
     */
    @WithDefault("15m")
    Duration inFlightTtl();

    /** First part of every key, so that several fleets can share one Redis. */
    @WithDefault("btp")
    String keyPrefix();
}
