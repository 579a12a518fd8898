package dev.bedrocktenant.profile;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Discovery and auto-creation of tenants' application inference profiles (README, "Onboarding a tenant"). */
@ConfigMapping(prefix = "proxy.profiles")
public interface ProfilesConfig {

    Discovery discovery();

    /** How often all APPLICATION profiles and their tags are listed again, in the background. */
    @WithDefault("5m")
    Duration refreshInterval();

    /** How long "no profile for this tenant and model" (or a failed lookup) is remembered. */
    @WithDefault("30s")
    Duration missTtl();

    /** The longest a request waits for the control plane on a miss: listing, tags, retries and creation together. */
    @WithDefault("10s")
    Duration lookupTimeout();

    /** The tag that names a profile's tenant; its value is the tenant's own tag of that key, else its id. */
    @WithDefault("TenantID")
    String tagKey();

    /** Create a missing profile on a tenant's first request for a model (CreateInferenceProfile). */
    @WithDefault("false")
    boolean autoCreate();

    /** Names of created profiles: {@code <prefix>-<tenant>-<model>}. */
    @WithDefault("btp")
    String namePrefix();

    interface Discovery {
        /** Needs bedrock:ListInferenceProfiles and bedrock:ListTagsForResource on the proxy's credentials. */
        @WithDefault("true")
        boolean enabled();
    }
}
