package dev.bedrocktenant.profile;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a tenant's requests are routed to its application inference profiles (README, "Onboarding a tenant"). */
@ConfigMapping(prefix = "proxy")
public interface ProfileConfig {

    /** What happens when a tenant has no profile for the requested model. */
    @WithDefault("reject")
    UnmappedModel unmappedModel();

    enum UnmappedModel {
        /** AccessDeniedException naming the tenant and model */
        REJECT,
        /** forward the model id unchanged; usage is still accounted to the tenant */
        PASSTHROUGH
    }
}
