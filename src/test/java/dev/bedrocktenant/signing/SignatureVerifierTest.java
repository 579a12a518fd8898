package dev.bedrocktenant.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.bedrocktenant.wire.InboundRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Real requests signed by other SDKs, recorded once (fixed signing time, known secret) so this needs no
 * Python or Node: botocore signs no x-amz-content-sha256; the JavaScript SDK v3 over HTTP/2 signs
 * {@code :authority}, which arrives as the pseudo-header rather than a Host header.
 */
class SignatureVerifierTest {

    /** A recorded request, as the proxy would see it, and the clock and secret it is checked with. */
    private record Recorded(InboundRequest request, String secret, Clock clock) {

        static Recorded load(String name) throws IOException {
            try (InputStream in = SignatureVerifierTest.class.getResourceAsStream("/signing/" + name + ".json")) {
                JsonNode json = new ObjectMapper().readTree(in);
                MultiMap headers = MultiMap.caseInsensitiveMultiMap();
                json.get("headers").forEach(pair -> headers.add(pair.get(0).asText(), pair.get(1).asText()));
                InboundRequest request = new InboundRequest(json.get("method").asText(), json.get("authority").asText(),
                        json.get("rawPath").asText(), json.get("rawQuery").isNull() ? null : json.get("rawQuery").asText(),
                        headers, Buffer.buffer(json.get("body").asText()));
                return new Recorded(request, json.get("secret").asText(),
                        Clock.fixed(Instant.parse(json.get("now").asText()), ZoneOffset.UTC));
            }
        }

        Optional<String> verify() {
            return verify(request, clock);
        }

        Optional<String> verify(InboundRequest changed, Clock at) {
            CallerCredential credential = CallerCredential.parse(changed.headers().get("Authorization")).orElseThrow();
            return new SignatureVerifier(at).verify(changed, credential, secret);
        }

        InboundRequest with(String authority, MultiMap headers, String body) {
            return new InboundRequest(request.method(), authority, request.rawPath(), request.rawQuery(), headers,
                    Buffer.buffer(body));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"botocore-converse", "js-v3-h2-converse"})
    void aValidSignatureFromThisClientIsAccepted(String client) throws IOException {
        Recorded recorded = Recorded.load(client);
        assertEquals(Optional.empty(), recorded.verify());
    }

    @ParameterizedTest
    @ValueSource(strings = {"botocore-converse", "js-v3-h2-converse"})
    void aTamperedBodyIsRefused(String client) throws IOException {
        Recorded recorded = Recorded.load(client);
        String body = recorded.request().body().toString().replace("Hello", "Jello");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(recorded.request().headers());
        Optional<String> why = recorded.verify(recorded.with(recorded.request().authority(), headers, body), recorded.clock());
        assertTrue(why.isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"botocore-converse", "js-v3-h2-converse"})
    void aTamperedSignedHeaderOrHostIsRefused(String client) throws IOException {
        Recorded recorded = Recorded.load(client);
        String body = recorded.request().body().toString();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(recorded.request().headers())
                .set("Content-Type", "text/plain");
        assertTrue(recorded.verify(recorded.with(recorded.request().authority(), headers, body), recorded.clock()).isPresent());
        MultiMap original = MultiMap.caseInsensitiveMultiMap().addAll(recorded.request().headers());
        assertTrue(recorded.verify(recorded.with("localhost:9999", original, body), recorded.clock()).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"botocore-converse", "js-v3-h2-converse"})
    void aSignatureOlderThanFifteenMinutesIsRefused(String client) throws IOException {
        Recorded recorded = Recorded.load(client);
        Clock later = Clock.offset(recorded.clock(), SignatureVerifier.MAX_CLOCK_SKEW);
        Optional<String> why = recorded.verify(recorded.request(), later);
        assertTrue(why.orElseThrow().contains("more than 15 minutes"), why.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"botocore-converse", "js-v3-h2-converse"})
    void aWrongSecretIsRefused(String client) throws IOException {
        Recorded recorded = Recorded.load(client);
        Recorded wrong = new Recorded(recorded.request(), "not-the-secret", recorded.clock());
        assertTrue(wrong.verify().isPresent());
    }
}
