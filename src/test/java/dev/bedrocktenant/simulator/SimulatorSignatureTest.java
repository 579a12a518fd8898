package dev.bedrocktenant.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/** SigV4 as the real SDK signs it: accepted when right, refused with AWS's error names when not. */
class SimulatorSignatureTest {

    static RunningSimulator sim;

    @BeforeAll
    static void start() throws Exception {
        sim = new RunningSimulator();
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
    }

    @Test
    void acceptsSdkSignedRequestsWithEncodedPathsAndQueries() {
        try (BedrockRuntimeClient client = sim.syncClient()) {
            client.converse(r -> r.modelId(BedrockSimulatorSyncTest.PROFILE_ARN)
                    .messages(BedrockSimulatorSyncTest.user("héllo + wörld & co")));
            RecordedRequest converse = sim.journal.last().orElseThrow();
            assertTrue(converse.rawPath().contains("%3A") && converse.rawPath().contains("%2F"), converse.rawPath());
            assertTrue(converse.signatureValid());

            client.listAsyncInvokes(r -> r.submitTimeAfter(Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
                    .statusEquals("Completed").nextToken("a+b/c=="));
            RecordedRequest list = sim.journal.last().orElseThrow();
            assertTrue(list.rawQuery().contains("submitTimeAfter="), list.rawQuery());
            assertTrue(list.signatureValid(), list.rawQuery());
        }
    }

    @Test
    void refusesARequestTamperedWithAfterSigning() {
        SdkHttpClient tampering = new BodyTampering(UrlConnectionHttpClient.create());
        try (BedrockRuntimeClient client = sim.syncClient(RunningSimulator.ACCESS_KEY, RunningSimulator.SECRET, tampering)) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> client.converse(r -> r
                    .modelId(BedrockSimulatorSyncTest.HAIKU).messages(BedrockSimulatorSyncTest.user("pay 10 dollars"))));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().startsWith(
                    "The request signature we calculated does not match the signature you provided"));
        }
        RecordedRequest recorded = sim.journal.last().orElseThrow();
        assertFalse(recorded.signatureValid());
        assertTrue(recorded.bodyText().contains("pay 99 dollars"));
    }

    @Test
    void refusesAWrongSecret() {
        try (BedrockRuntimeClient client = sim.syncClient(RunningSimulator.ACCESS_KEY, "not-the-secret",
                UrlConnectionHttpClient.create())) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> client.converse(r -> r
                    .modelId(BedrockSimulatorSyncTest.HAIKU).messages(BedrockSimulatorSyncTest.user("hi"))));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
        assertFalse(sim.journal.last().orElseThrow().signatureValid());
    }

    @Test
    void refusesAnUnknownAccessKey() {
        try (BedrockRuntimeClient client = sim.syncClient("AKIAUNKNOWN000000000", RunningSimulator.SECRET,
                UrlConnectionHttpClient.create())) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> client.converse(r -> r
                    .modelId(BedrockSimulatorSyncTest.HAIKU).messages(BedrockSimulatorSyncTest.user("hi"))));
            assertEquals(403, e.statusCode());
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
            assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void refusesUnsignedRequestsAndAnswersUnknownPaths() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(
                        URI.create(sim.endpoint() + "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, unsigned.statusCode());
        assertEquals("MissingAuthenticationTokenException", unsigned.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(unsigned.headers().firstValue("x-amzn-RequestId").isPresent());
        assertEquals("Missing Authentication Token", new JsonObject(unsigned.body()).getString("message"));

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(sim.endpoint() + "/nowhere"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertEquals("UnknownOperationException", unknown.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals("application/json", unknown.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(null, sim.journal.last().orElseThrow().operation());
    }

    /** Changes the body after the SDK signed it, keeping its length: what a man in the middle would do. */
    static final class BodyTampering implements SdkHttpClient {
        private final SdkHttpClient delegate;

        BodyTampering(SdkHttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            byte[] body;
            try {
                body = request.contentStreamProvider().orElseThrow().newStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("pay 10", "pay 99")
                    .getBytes(StandardCharsets.UTF_8);
            return delegate.prepareRequest(HttpExecuteRequest.builder()
                    .request(request.httpRequest())
                    .contentStreamProvider(ContentStreamProvider.fromInputStreamSupplier(() -> new ByteArrayInputStream(tampered)))
                    .build());
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
