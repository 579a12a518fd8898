package dev.bedrocktenant.controlplane;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

/**
 * Builds the Bedrock control-plane client the proxy and the command line share: the configured
 * endpoint and region, the proxy's credentials, the SDK's standard retries (throttling backs off).
 */
public final class ControlPlaneClients {

    /** docs/reference.md §4: proxy.control-plane-url. */
    public static final String DEFAULT_URL = "https://bedrock.{region}.amazonaws.com";

    private ControlPlaneClients() {
    }

    public static URI endpoint(String url, String region) {
        return URI.create(url.replace("{region}", region));
    }

    /**
     * @param callTimeout the longest one operation may take, retries included
     */
    public static BedrockAsyncClient async(URI endpoint, String region, AwsCredentialsProvider credentials,
                                           Duration callTimeout) {
        return BedrockAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(QuickClosingNettyClient.builder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .maxConcurrency(16)))
                .overrideConfiguration(c -> c.apiCallTimeout(callTimeout))
                .build();
    }
}
