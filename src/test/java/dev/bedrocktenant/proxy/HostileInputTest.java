package dev.bedrocktenant.proxy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import dev.bedrocktenant.simulator.SimulatorJournal;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.RawHttp;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * What no well-behaved client sends: each is answered with a 4xx in Bedrock's shape where HTTP allows an answer
 * at all, never a 500, a hang or a stack trace, and the proxy serves the next request ({@link #theProxyStillServes}).
 * Already covered elsewhere: bad percent-encoding, unknown operations and oversized bodies (ErrorResponsesTest),
 * a wrong or stale signature and a verified tenant claiming another (ErrorResponsesTest, TenantIdentifierTest).
 */
@QuarkusTest
@TestProfile(HostileInputTest.ShortBodyTimeout.class)
@QuarkusTestResource(TestTenantsFile.class)
class HostileInputTest {

    public static class ShortBodyTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.request.body-timeout", "2s");
        }
    }

    private static final String CONVERSE = "/model/" + HAIKU.replace(":", "%3A") + "/converse";
    private static final String INVOKE = "/model/" + HAIKU.replace(":", "%3A") + "/invoke";
    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";
    private static final Map<String, String> ACME = Map.of("X-Tenant-Id", "acme");

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorJournal journal;

    @BeforeEach
    void clearJournal() {
        journal.clear();
    }

    @AfterEach
    void theProxyStillServes() {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, Caller.withHeaders(ACME), new BedrockClients.SentBody())) {
            assertFalse(bedrock.converse(BedrockCalls.converse(HAIKU, "still there?")).output().message().content().isEmpty());
        }
    }

    private static RawHttp.Response refused(RawHttp.Response response, int status, String errorType) {
        assertEquals(status, response.status(), response.body());
        assertEquals(errorType, response.header("x-amzn-ErrorType"), response.body());
        assertTrue(response.body().startsWith("{\"message\":"), response.body());
        return response;
    }

    private byte[] raw(String head, String body) {
        return (head + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void garbagePathsAreValidationErrors() throws IOException {
        for (String path : List.of("/", "/garbage", "/model", "/model/", "/model//converse", "/../../etc/passwd",
                "/model/x/converse/../../../admin/usage", "/admin/usage", "/%", "/%zz/%%", "/model/" + HAIKU + "/converse/extra")) {
            refused(RawHttp.exchange(proxy, "POST", path, ACME, BODY), 400, "ValidationException");
        }
        assertTrue(journal.requests().isEmpty(), "nothing was forwarded");
    }

    @Test
    void pathTraversalInTheModelIdIsNeverForwarded() throws IOException {
        for (String model : List.of("..%2F..%2Fadmin%2Fusage", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..")) {
            RawHttp.Response response = RawHttp.exchange(proxy, "POST", "/model/" + model + "/converse", ACME, BODY);
            assertTrue(response.status() == 400 || response.status() == 403, model + ": " + response.status());
            assertTrue(response.header("x-amzn-ErrorType").endsWith("Exception"), model);
        }
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void aModelIdLongerThanBedrockAllowsIsAValidationError() throws IOException {
        RawHttp.Response response = refused(RawHttp.exchange(proxy, "POST", "/model/" + "a".repeat(5000) + "/converse",
                ACME, BODY), 400, "ValidationException");
        assertTrue(response.body().contains("2048"), response.body());
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void hugeOrManyHeadersAreValidationErrors() throws IOException {
        Map<String, String> huge = new LinkedHashMap<>(ACME);
        huge.put("X-Padding", "p".repeat(100 * 1024));
        RawHttp.Response tooLarge = refused(RawHttp.exchange(proxy, "POST", CONVERSE, huge, BODY), 400, "ValidationException");
        assertTrue(tooLarge.body().contains("proxy.request.max-header-bytes"), tooLarge.body());

        Map<String, String> many = new LinkedHashMap<>(ACME);
        for (int i = 0; i < 300; i++) {
            many.put("X-Extra-" + i, "value-" + i);
        }
        RawHttp.Response tooMany = refused(RawHttp.exchange(proxy, "POST", CONVERSE, many, BODY), 400, "ValidationException");
        assertTrue(tooMany.body().contains("proxy.request.max-headers"), tooMany.body());
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void unicodeAndControlCharactersInTenantAndTagHeadersIdentifyNobody() throws IOException {
        for (String header : List.of("X-Tenant-Id: acm\u00e9", "X-Tenant-Id: acme\u202egnp.exe",
                "X-Bedrock-Tag-TenantID: acme\u2028")) {
            String answer = RawHttp.exchangeBytes(proxy, raw("POST " + CONVERSE + " HTTP/1.1\r\nHost: proxy\r\n" + header
                    + "\r\nContent-Length: " + BODY.length() + "\r\nConnection: close", BODY), Duration.ofSeconds(10));
            refused(RawHttp.parse(answer), 403, "AccessDeniedException");
        }
        // a bare CR cannot smuggle a second tenant header in, nor a control character or a non-token header name
        // pass: the HTTP parser refuses the request (a bare 400) and closes the connection
        for (String header : List.of("X-Tenant-Id: nobody\rX-Tenant-Id: acme", "X-Tenant-Id: acme\u0007",
                "X-Bedrock-Tag-Tenant\u00efD: acme")) {
            String injected = RawHttp.exchangeBytes(proxy, raw("POST " + CONVERSE + " HTTP/1.1\r\nHost: proxy\r\n"
                    + header + "\r\nContent-Length: 2", "{}"), Duration.ofSeconds(10));
            assertTrue(injected.startsWith("HTTP/1.1 400") && injected.endsWith("<EOF>"), injected);
        }
        assertTrue(journal.requests().isEmpty());

        String metrics = RawHttp.exchange(proxy, "GET", "/metrics", Map.of(), "").body();
        assertTrue(metrics.contains("tenant=\"_unknown\""), "refusals are accounted to _unknown");
        for (String minted : List.of("acm\u00c3", "gnp.exe", "\u0007", "\u2028")) {
            assertFalse(metrics.contains(minted), "no label value from a header: " + minted);
        }
    }

    @Test
    void nonJsonAndDeeplyNestedBodiesNeitherOverflowTheStackNorFailTheProxy() throws IOException {
        String nested = "[".repeat(200_000);
        // the one body the proxy reads itself
        refused(RawHttp.exchange(proxy, "POST", "/async-invoke", ACME, nested), 400, "ValidationException");
        refused(RawHttp.exchange(proxy, "POST", "/async-invoke", ACME, "{\"modelId\": not json"), 400, "ValidationException");
        List<String> bodies = List.of(nested, "{\"messages\":" + "{\"a\":".repeat(100_000), "not json at all \u0000");
        // a Converse body is read to stamp the tenant into its request metadata: one that is no JSON object is refused
        for (String body : bodies) {
            refused(RawHttp.exchange(proxy, "POST", CONVERSE, ACME, body), 400, "ValidationException");
        }
        assertTrue(journal.requests().isEmpty());
        // InvokeModel's go to Bedrock as sent, which judges them (the simulator does not); the proxy's admission
        // estimate reads them without failing
        for (String body : bodies) {
            RawHttp.Response answer = RawHttp.exchange(proxy, "POST", INVOKE, ACME, body);
            assertTrue(answer.status() < 500, answer.status() + " " + answer.body());
            assertEquals(body, journal.last().orElseThrow().bodyText());
        }
    }

    @Test
    void ambiguousBodyFramingIsRefusedAndTheConnectionClosed() throws IOException {
        for (String framing : List.of("Transfer-Encoding: xchunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
                "Transfer-Encoding: gzip, chunked")) {
            String answer = RawHttp.exchangeBytes(proxy, raw("POST " + CONVERSE + " HTTP/1.1\r\nHost: proxy\r\nX-Tenant-Id: acme\r\n"
                    + framing, "2\r\n{}\r\n0\r\n\r\nGET /admin/usage HTTP/1.1\r\nHost: proxy\r\n\r\n"), Duration.ofSeconds(10));
            refused(RawHttp.parse(answer), 400, "ValidationException");
            assertTrue(answer.endsWith("<EOF>"), framing + ": the connection is closed");
            assertEquals(1, answer.split("HTTP/1\\.1 ").length - 1, framing + ": the bytes after are no request: " + answer);
        }
        // two Content-Lengths: the HTTP parser refuses the request and closes the connection
        String conflicting = RawHttp.exchangeBytes(proxy, raw("POST " + CONVERSE + " HTTP/1.1\r\nHost: proxy\r\n"
                + "X-Tenant-Id: acme\r\nContent-Length: 2\r\nContent-Length: " + BODY.length(), BODY), Duration.ofSeconds(10));
        assertTrue(conflicting.startsWith("HTTP/1.1 400") && conflicting.endsWith("<EOF>"), conflicting);
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void withContentLengthAndChunkedTheChunksAloneAreTheBody() throws IOException {
        // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; Bedrock gets the body framed by the proxy
        String answer = RawHttp.exchangeBytes(proxy, raw("POST " + INVOKE + " HTTP/1.1\r\nHost: proxy\r\nX-Tenant-Id: acme\r\n"
                + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close",
                Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n"), Duration.ofSeconds(10));
        RawHttp.Response response = RawHttp.parse(answer);
        if (response.status() == 200) {
            assertEquals(BODY, journal.last().orElseThrow().bodyText());
        } else {
            refused(response, 400, "ValidationException");
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsRefusedOnceTheBodyTimeoutPasses() throws IOException {
        long started = System.nanoTime();
        String answer = RawHttp.exchangeBytes(proxy, raw("POST " + CONVERSE + " HTTP/1.1\r\nHost: proxy\r\nX-Tenant-Id: acme\r\n"
                + "Content-Length: 100", BODY.substring(0, 10)), Duration.ofSeconds(15));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        RawHttp.Response response = refused(RawHttp.parse(answer), 400, "ValidationException");
        assertTrue(response.body().contains("proxy.request.body-timeout") && response.body().contains("10 bytes received of 100"),
                response.body());
        assertTrue(answer.endsWith("<EOF>"), "the connection is closed: " + answer);
        assertTrue(tookMs >= 1_900 && tookMs < 12_000, tookMs + " ms");
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void aTlsClientHelloOnThePlainPortIsAnsweredAndClosed() throws Exception {
        SSLEngine client = SSLContext.getDefault().createSSLEngine(proxy.getHost(), proxy.getPort());
        client.setUseClientMode(true);
        ByteBuffer hello = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), hello);
        byte[] bytes = new byte[hello.flip().remaining()];
        hello.get(bytes);
        assertEquals(0x16, bytes[0], "a TLS handshake record");
        String answer = RawHttp.exchangeBytes(proxy, bytes, Duration.ofSeconds(5));
        assertTrue(answer.startsWith("HTTP/1.") && answer.contains(" 400 ") && answer.endsWith("<EOF>"), answer);
    }

    @Test
    void h2cHeadersOverTheLimitAreAValidationErrorAndARapidResetFloodIsCutOff() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                    .setInitialSettings(new io.vertx.core.http.Http2Settings().setMaxHeaderListSize(4 * 1024 * 1024)));
            RequestOptions huge = new RequestOptions().setMethod(HttpMethod.POST).setHost(proxy.getHost())
                    .setPort(proxy.getPort()).setURI(CONVERSE).putHeader("X-Tenant-Id", "acme")
                    .putHeader("x-padding", "p".repeat(100 * 1024));
            HttpClientResponse response = client.request(huge).compose(request -> request.send(BODY))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(HttpVersion.HTTP_2, response.version());
            assertEquals(400, response.statusCode());
            assertEquals("ValidationException", response.getHeader("x-amzn-ErrorType"));

            // CVE-2023-44487: streams opened and reset at once, far more than the server allows per window
            CompletableFuture<Void> closed = new CompletableFuture<>();
            RequestOptions converse = new RequestOptions(huge).removeHeader("x-padding");
            client.request(converse).onSuccess(first -> first.connection().closeHandler(v -> closed.complete(null)));
            for (int i = 0; i < 2_000; i++) {
                client.request(converse).onSuccess(request -> request.sendHead().onSuccess(v -> request.reset()));
            }
            closed.get(30, TimeUnit.SECONDS);
            assertTrue(journal.requests().size() < 2_000, "the flood was cut off: " + journal.requests().size());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
