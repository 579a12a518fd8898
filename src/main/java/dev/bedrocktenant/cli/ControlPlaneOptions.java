package dev.bedrocktenant.cli;

import static picocli.CommandLine.ScopeType.INHERIT;

import java.time.Duration;

import dev.bedrocktenant.controlplane.ControlPlaneClients;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

/**
 * The options of every command that works on the account's profiles: where the control plane is, and how
 * tenants' profiles are tagged and named. Inherited, so that {@code profiles --region R list} works as
 * {@code profiles list --region R} does.
 */
@RegisterForReflection
final class ControlPlaneOptions {

    @Option(names = "--endpoint", paramLabel = "URL", scope = INHERIT, defaultValue = ControlPlaneClients.DEFAULT_URL,
            description = "control plane (proxy.control-plane-url); default: ${DEFAULT-VALUE}")
    @Setting("proxy.control-plane-url")
    String endpoint;

    @Option(names = "--region", paramLabel = "REGION", scope = INHERIT, defaultValue = "us-east-1",
            description = "AWS Region (proxy.region); default: ${DEFAULT-VALUE}")
    @Setting("proxy.region")
    String region;

    @Option(names = "--tag-key", paramLabel = "KEY", scope = INHERIT, defaultValue = "TenantID",
            description = "tag naming profiles' tenant (proxy.profiles.tag-key); default: ${DEFAULT-VALUE}")
    @Setting("proxy.profiles.tag-key")
    String tagKey;

    @Option(names = "--name-prefix", paramLabel = "PREFIX", scope = INHERIT, defaultValue = "btp",
            description = "created profiles' prefix (proxy.profiles.name-prefix); default: ${DEFAULT-VALUE}")
    @Setting("proxy.profiles.name-prefix")
    String namePrefix;

    BedrockAsyncClient client(AwsCredentialsProvider credentials) {
        return ControlPlaneClients.async(ControlPlaneClients.endpoint(endpoint, region), region, credentials,
                Duration.ofMinutes(2));
    }
}
