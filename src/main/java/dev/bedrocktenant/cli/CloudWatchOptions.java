package dev.bedrocktenant.cli;

import java.net.URI;
import java.util.Optional;

import dev.bedrocktenant.metering.cloudwatch.CloudWatchClients;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/** The options of every command that calls CloudWatch: where it is, by default where the proxy sends its metrics. */
@RegisterForReflection
public final class CloudWatchOptions {

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "CloudWatch's Region (proxy.region, else aws.region); default: ${DEFAULT-VALUE}")
    @Setting({"proxy.region", "aws.region"})
    String region;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "CloudWatch endpoint (proxy.cloudwatch.endpoint); default: the Region's")
    @Setting("proxy.cloudwatch.endpoint")
    URI endpoint;

    public String region() {
        return region;
    }

    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    public CloudWatchAsyncClient client(AwsCredentialsProvider credentials) {
        return CloudWatchClients.forReading(region, endpoint(), credentials);
    }
}
