package dev.bedrocktenant.metering;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How usage is recorded on the request path. */
@ConfigMapping(prefix = "proxy.metering")
public interface MeteringConfig {

    /** Off records no usage at all: only for measuring what metering costs (bench/). */
    @WithDefault("true")
    boolean enabled();

    /** Distinct model labels per tenant in Prometheus before new ones are labelled "_other". */
    @WithDefault("200")
    int maxModelsPerTenant();
}
