package dev.bedrocktenant.tenant;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How tenants are configured and how a request names its tenant (docs/reference.md §2, §5). */
@ConfigMapping(prefix = "proxy")
public interface TenantConfig {

    /** The tenants file (YAML, or JSON); reloaded when it changes. */
    @WithDefault("tenants.yaml")
    String tenantsFile();

    /** How often the tenants file is checked for changes. */
    @WithDefault("2s")
    Duration tenantsReloadInterval();

    @WithDefault("X-Tenant-Id")
    String tenantHeader();

    @WithDefault("X-Bedrock-Tag-")
    String tagHeaderPrefix();

    /** {@code reject}, or {@code default:<tenant>}; see {@link UnknownTenantPolicy}. */
    @WithDefault("reject")
    String unknownTenant();
}
