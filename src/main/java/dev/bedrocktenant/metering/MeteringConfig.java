package dev.bedrocktenant.metering;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How usage is recorded on the request path. */
@ConfigMapping(prefix = "proxy")
public interface MeteringConfig {

    Metrics metrics();

    Recording recording();

    interface Metrics {
        /** Distinct model labels per tenant in Prometheus before new ones are labelled "_other". */
        @WithDefault("200")
        int maxModelsPerTenant();
    }

    interface Recording {
        /** Longest a response's final bytes wait for its ledger line; past it they go, and it is counted. */
        @WithDefault("5s")
        Duration maxWait();
    }
}
