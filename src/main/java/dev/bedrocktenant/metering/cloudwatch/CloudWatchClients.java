package dev.bedrocktenant.metering.cloudwatch;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import dev.bedrocktenant.controlplane.QuickClosingNettyClient;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;

/** Builds the CloudWatch clients of the exporter and of the reconcile command. */
public final class CloudWatchClients {

    private CloudWatchClients() {
    }

    /**
     * For the exporter: the SDK's own retries are off, since the exporter retries whole calls with its
     * own backoff and counts what it gives up on.
     */
    public static CloudWatchAsyncClient forExport(String region, Optional<URI> endpoint,
                                                  AwsCredentialsProvider credentials, Duration requestTimeout) {
        return builder(region, endpoint, credentials)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(requestTimeout))
                .build();
    }

    /** For the one-shot calls of the commands (reconcile, alarms): the SDK's standard retries. */
    public static CloudWatchAsyncClient forReading(String region, Optional<URI> endpoint,
                                                   AwsCredentialsProvider credentials) {
        return builder(region, endpoint, credentials).build();
    }

    private static CloudWatchAsyncClientBuilder builder(String region, Optional<URI> endpoint,
                                                        AwsCredentialsProvider credentials) {
        CloudWatchAsyncClientBuilder builder = CloudWatchAsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(QuickClosingNettyClient.builder(NettyNioAsyncHttpClient.builder()));
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }
}
