package dev.bedrocktenant.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * Real AWS SDK for Java v2 clients pointed at the proxy, as an application would build them: its
 * own credentials, optional extra headers (tenant or tag headers), no retries so that each test
 * call is exactly one request. Each client remembers the last body it sent.
 */
public final class BedrockClients {

    /** A caller whose key the tenants file does not know: identified by headers only. */
    public static final String ANONYMOUS_KEY = "AKIANOTINTENANTSFILE";

    private BedrockClients() {
    }

    /** The bytes of the last request body a client sent. */
    public static final class SentBody implements ExecutionInterceptor {
        private final AtomicReference<byte[]> last = new AtomicReference<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            last.set(context.httpRequest() instanceof software.amazon.awssdk.http.SdkHttpFullRequest full
                    ? full.contentStreamProvider().map(BedrockClients::read).orElse(new byte[0])
                    : context.requestBody().map(b -> read(b.contentStreamProvider())).orElse(new byte[0]));
        }

        public byte[] last() {
            return last.get();
        }
    }

    public record Caller(String accessKeyId, String secretAccessKey, Map<String, String> headers) {
        public static Caller withHeaders(Map<String, String> headers) {
            return new Caller(ANONYMOUS_KEY, "anything", headers);
        }

        public static Caller withKey(String accessKeyId, String secretAccessKey) {
            return new Caller(accessKeyId, secretAccessKey, Map.of());
        }
    }

    public static BedrockRuntimeClient sync(URL proxy, Caller caller, SentBody sent) {
        return BedrockRuntimeClient.builder()
                .endpointOverride(uri(proxy))
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials(caller))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> {
                    c.retryPolicy(RetryPolicy.none()).addExecutionInterceptor(sent);
                    caller.headers().forEach(c::putHeader);
                })
                .build();
    }

    public static BedrockRuntimeAsyncClient async(URL proxy, Caller caller, SentBody sent) {
        return BedrockRuntimeAsyncClient.builder()
                .endpointOverride(uri(proxy))
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials(caller))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().readTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> {
                    c.retryPolicy(RetryPolicy.none()).addExecutionInterceptor(sent);
                    caller.headers().forEach(c::putHeader);
                })
                .build();
    }

    private static StaticCredentialsProvider credentials(Caller caller) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(caller.accessKeyId(), caller.secretAccessKey()));
    }

    private static URI uri(URL proxy) {
        return URI.create(proxy.getProtocol() + "://" + proxy.getHost() + ":" + proxy.getPort());
    }

    private static byte[] read(software.amazon.awssdk.http.ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
