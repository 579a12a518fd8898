package dev.bedrocktenant.cli;

import java.nio.file.Path;
import java.util.Optional;

import dev.bedrocktenant.tenant.Tenants;
import dev.bedrocktenant.tenant.TenantsFile;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Option;

/**
 * The options of the commands that set CloudWatch up over every tenant's metrics ({@code alarms},
 * {@code dashboards}): which tenants, and the namespace the proxy sends their metrics to.
 */
@RegisterForReflection
final class TenantMetricsOptions {

    @Option(names = "--tenants", paramLabel = "FILE", defaultValue = "tenants.yaml",
            description = "the tenants file (proxy.tenants-file); default: ${DEFAULT-VALUE}")
    @Setting("proxy.tenants-file")
    String tenantsFile;

    @Option(names = "--namespace", paramLabel = "NAMESPACE", defaultValue = "BedrockTenants",
            description = "where the proxy sends its metrics (proxy.cloudwatch.namespace); default: ${DEFAULT-VALUE}")
    @Setting("proxy.cloudwatch.namespace")
    String namespace;

    String namespace() {
        return namespace;
    }

    /** The tenants, read without their signing secrets: these commands never sign as a tenant. */
    Tenants tenants() {
        return new TenantsFile(name -> Optional.of("not-needed-here")).read(Path.of(tenantsFile));
    }
}
