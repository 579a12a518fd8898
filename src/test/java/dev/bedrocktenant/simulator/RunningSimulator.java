package dev.bedrocktenant.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/** A simulator on a free port with its own Vert.x, and real SDK clients pointed at it (no retries). */
final class RunningSimulator implements AutoCloseable {

    static final String ACCESS_KEY = "AKIASIMULATOR0000001";
    static final String SECRET = "simulator-secret-key";

    final Vertx vertx = Vertx.vertx();
    final SimulatorJournal journal = new SimulatorJournal();
    final BedrockSimulator simulator = new BedrockSimulator(vertx, "127.0.0.1", 0, ACCESS_KEY, SECRET, journal);
    final int port;

    RunningSimulator() throws Exception {
        port = simulator.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    BedrockRuntimeClient syncClient() {
        return syncClient(ACCESS_KEY, SECRET, UrlConnectionHttpClient.create());
    }

    BedrockRuntimeClient syncClient(String accessKey, String secret, SdkHttpClient http) {
        return BedrockRuntimeClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    BedrockRuntimeAsyncClient asyncClient() {
        return BedrockRuntimeAsyncClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().readTimeout(Duration.ofSeconds(20)))
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    @Override
    public void close() throws Exception {
        simulator.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
