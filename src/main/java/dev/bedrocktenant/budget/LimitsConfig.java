package dev.bedrocktenant.budget;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How admission estimates what a request will use before it is known (docs/reference.md §11), and where
 * tenants' counters live.
 */
@ConfigMapping(prefix = "proxy")
public interface LimitsConfig {

    /** {@code memory}: this proxy alone; {@code redis}: every sidecar sharing quarkus.redis.hosts. */
    @WithDefault("memory")
    State state();

    Limits limits();

    enum State { MEMORY, REDIS }

    interface Limits {
        /** Output tokens reserved for a request that names no maxTokens / max_tokens of its own. */
        @WithDefault("1024")
        long defaultMaxTokens();

        /** Request body bytes per input token, for the input estimate: about 4 for English text. */
        @WithDefault("4")
        int bodyBytesPerToken();
    }
}
