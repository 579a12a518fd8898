package dev.bedrocktenant.proxy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * The AWS SDK for JavaScript v3 talks HTTP/2 to Bedrock Runtime, also to an http:// endpoint: the
 * proxy must answer h2c, by prior knowledge and by upgrade, exactly as it answers HTTP/1.1.
 */
@QuarkusTest
@QuarkusTestResource(TestTenantsFile.class)
class Http2ClearTextTest {

    private static final String STREAM_PATH = "/model/" + HAIKU.replace(":", "%3A") + "/converse-stream";
    private static final String STREAM_BODY =
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi [[sim:events=4]] [[sim:input-tokens=7]]\"}]}]}";

    @TestHTTPResource("/")
    URL proxy;

    @Test
    void priorKnowledgeH2cStreamsTheSameEventsAsHttp11() throws Exception {
        assertEquals(events(HttpVersion.HTTP_1_1), events(HttpVersion.HTTP_2));
    }

    @Test
    void upgradeToH2cGivesTheSameAnswer() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy + "async-invoke?maxResults=3"))
                .header("X-Tenant-Id", "acme").GET().build();
        HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<byte[]> stream = client.send(HttpRequest.newBuilder(URI.create(proxy + STREAM_PATH.substring(1)))
                        .header("X-Tenant-Id", "acme").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(HttpClient.Version.HTTP_2, stream.version(), "the connection was upgraded");
        assertEquals(events(HttpVersion.HTTP_1_1), decode(Buffer.buffer(stream.body())));
    }

    /** ConverseStream over the given protocol, decoded to "eventType payload-without-padding" lines. */
    private List<String> events(HttpVersion version) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(version).setHttp2ClearTextUpgrade(false));
            Buffer body = client.request(new RequestOptions().setMethod(HttpMethod.POST)
                            .setHost(proxy.getHost()).setPort(proxy.getPort()).setURI(STREAM_PATH)
                            .putHeader("X-Tenant-Id", "acme").putHeader("Content-Type", "application/json"))
                    .compose(request -> request.send(STREAM_BODY))
                    .compose(response -> {
                        assertEquals(version, response.version());
                        assertEquals(200, response.statusCode());
                        return response.body();
                    })
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return decode(body);
        } finally {
            vertx.close();
        }
    }

    private static List<String> decode(Buffer body) {
        List<String> events = new ArrayList<>();
        new MessageDecoder((Message m) -> events.add(m.getHeaders().get(":event-type").getString() + " "
                + new String(m.getPayload(), StandardCharsets.UTF_8).replaceAll(",?\"(p|latencyMs)\":(\"[^\"]*\"|\\d+)", "")))
                .feed(body.getBytes());
        return events;
    }
}
