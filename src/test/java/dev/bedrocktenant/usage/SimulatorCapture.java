package dev.bedrocktenant.usage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.simulator.BedrockSimulator;
import dev.bedrocktenant.simulator.SimulatorJournal;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Produces the {@code *-simulator.*} fixtures in src/test/resources/usage: raw response bytes (and
 * headers) of the project's Bedrock simulator, fetched with SigV4-signed requests. Not a test;
 * run once after changing the simulator:
 * {@code mvn -B -q test -Dtest=SimulatorCapture -Dusage.capture=true}
 */
@EnabledIfSystemProperty(named = "usage.capture", matches = "true")
class SimulatorCapture {

    private static final String ACCESS_KEY = "AKIASIMULATOR0000001";
    private static final String SECRET = "simulator-secret-key";
    private static final String MODEL = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/";
    private static final String DIRECTIVES = "[[sim:input-tokens=25]] [[sim:cache-read=40]] [[sim:cache-write=12]]";
    private static final Path OUT = Path.of("src/test/resources/usage");

    @Test
    void capture() throws Exception {
        Vertx vertx = Vertx.vertx();
        BedrockSimulator sim = new BedrockSimulator(vertx, "127.0.0.1", 0, ACCESS_KEY, SECRET, new SimulatorJournal());
        int port = sim.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            String converse = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi " + DIRECTIVES
                    + " [[sim:events=4]]\"}]}]}";
            String converseNoCache = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi [[sim:input-tokens=9]]\"}]}]}";
            String anthropic = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":64,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi " + DIRECTIVES + " [[sim:events=4]]\"}]}";
            String throttledStream = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi "
                    + "[[sim:stream-error=throttlingException@2]]\"}]}]}";
            save(port, "converse", converse, "converse-simulator");
            save(port, "converse", converseNoCache, "converse-no-cache-simulator");
            save(port, "converse-stream", converse, "converse-stream-simulator");
            save(port, "converse-stream", throttledStream, "converse-stream-throttled-simulator");
            save(port, "invoke", anthropic, "invoke-model-simulator");
            save(port, "invoke-with-response-stream", anthropic, "invoke-model-stream-simulator");
            save(port, "converse", "{\"messages\":[] [[sim:error=ThrottlingException]]}", "converse-throttled-simulator");
        } finally {
            sim.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Writes NAME.body (raw bytes) and NAME.head (status line, then header lines). */
    private static void save(int port, String action, String body, String name) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:" + port))
                .encodedPath(MODEL + action)
                .putHeader("Content-Type", "application/json")
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(ACCESS_KEY, SECRET))
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + MODEL + action))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.headers().forEach((header, values) -> {
            if (!header.equalsIgnoreCase("Host")) {
                values.forEach(v -> request.header(header, v));
            }
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        StringBuilder head = new StringBuilder().append(response.statusCode()).append('\n');
        response.headers().map().forEach((header, values) -> {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amzn") || lower.equals("content-type")) {
                values.forEach(v -> head.append(header).append(": ").append(v).append('\n'));
            }
        });
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve(name + ".head"), head);
        Files.write(OUT.resolve(name + ".body"), response.body());
    }
}
