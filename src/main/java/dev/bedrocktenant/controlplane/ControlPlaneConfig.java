package dev.bedrocktenant.controlplane;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the Bedrock control plane is (docs/reference.md §4). */
@ConfigMapping(prefix = "proxy")
public interface ControlPlaneConfig {

    @WithDefault("us-east-1")
    String region();

    /** {region} is replaced by {@link #region()}. */
    @WithDefault(ControlPlaneClients.DEFAULT_URL)
    String controlPlaneUrl();
}
