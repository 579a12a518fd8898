package dev.bedrocktenant.attribution;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.simulator.RecordedRequest;
import dev.bedrocktenant.simulator.SimulatorJournal;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.BedrockClients.SentBody;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * AWS's own records name the tenant: through the real AWS SDK for Java v2, every Converse body and every InvokeModel
 * header reaches Bedrock (the simulator) with the tenant's request metadata, whatever the application put under
 * those keys, its other metadata kept, signed over what was sent; and the service tier sent follows the tenant's
 * policy.
 */
@QuarkusTest
@QuarkusTestResource(TestTenantsFile.class)
class AttributionEndToEndTest {

    static final Map<String, String> ACME = stamp("TenantID", "acme", "CostCenter", "marketing");
    static final Caller AS_ACME = Caller.withHeaders(Map.of("X-Tenant-Id", "acme"));
    /** What an application might send to pass as someone else, beside metadata of its own. */
    static final Map<String, String> FORGED = stamp("TenantID", "globex", "costcenter", "sales", "team", "blue");
    static final Map<String, String> ACME_WITH_ITS_OWN = stamp("team", "blue", "TenantID", "acme", "CostCenter", "marketing");

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorJournal journal;

    private final SentBody sent = new SentBody();

    @BeforeEach
    void clearJournal() {
        journal.clear();
    }

    @Test
    void converseCarriesTheTenantsMetadataAndTheRestOfTheBodyAsSent() {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, AS_ACME, sent)) {
            ConverseResponse response = bedrock.converse(BedrockCalls.converse(HAIKU, "Hi"));
            assertEquals("Hello from the", response.output().message().content().get(0).text());
        }
        RecordedRequest upstream = signedUpstream("Converse");
        assertEquals(ACME, upstream.requestMetadata());
        assertEquals(withoutMetadata(sent.last()), withoutMetadata(upstream.body()));
    }

    @Test
    void forgedTenantMetadataIsReplacedAndTheApplicationsOwnIsKept() {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, AS_ACME, sent)) {
            bedrock.converse(BedrockCalls.converse(HAIKU, "Hi").toBuilder().requestMetadata(FORGED).build());
        }
        RecordedRequest upstream = signedUpstream("Converse");
        assertEquals(ACME_WITH_ITS_OWN, upstream.requestMetadata());
        assertEquals(withoutMetadata(sent.last()), withoutMetadata(upstream.body()));
    }

    @Test
    void converseStreamCarriesTheTenantsMetadataAndStreamsAsBefore() throws Exception {
        BedrockCalls.ConverseStreamResult result;
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, AS_ACME, sent)) {
            result = BedrockCalls.converseStream(bedrock, BedrockCalls.converseStream(HAIKU, "Hi [[sim:events=4]]")
                    .toBuilder().requestMetadata(FORGED).build());
        }
        assertEquals(List.of("Hello", " from", " the", " Bedrock"), result.texts);
        assertEquals(4, result.metadata.usage().outputTokens());
        RecordedRequest upstream = signedUpstream("ConverseStream");
        assertEquals(ACME_WITH_ITS_OWN, upstream.requestMetadata());
        assertEquals(withoutMetadata(sent.last()), withoutMetadata(upstream.body()));
    }

    @Test
    void invokeModelCarriesTheTenantsMetadataHeaderAndTheBodyByteForByte() {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, AS_ACME, sent)) {
            bedrock.invokeModel(BedrockCalls.invokeModel(HAIKU, "Hi"));
            assertUpstreamInvoke("InvokeModel", ACME);
            bedrock.invokeModel(BedrockCalls.invokeModel(HAIKU, "Hi").toBuilder()
                    .requestMetadata(new JsonObject(new LinkedHashMap<>(FORGED)).encode()).build());
            assertUpstreamInvoke("InvokeModel", ACME_WITH_ITS_OWN);
        }
    }

    @Test
    void invokeModelWithResponseStreamCarriesTheTenantsMetadataHeaderAndStreamsAsBefore() throws Exception {
        List<String> chunks;
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, AS_ACME, sent)) {
            chunks = BedrockCalls.invokeModelStream(bedrock, BedrockCalls.invokeModelStream(HAIKU, "Hi").toBuilder()
                    .requestMetadata(new JsonObject(new LinkedHashMap<>(FORGED)).encode()).build());
        }
        assertEquals(8, chunks.size(), "message start, block start, 3 deltas, block stop, message delta, stop: " + chunks);
        assertTrue(chunks.get(7).contains("message_stop"), chunks.get(7));
        assertUpstreamInvoke("InvokeModelWithResponseStream", ACME_WITH_ITS_OWN);
    }

    @Test
    void metadataThatCannotHoldTheTenantsIsRefusedSayingWhy() {
        Map<String, String> fifteen = new LinkedHashMap<>();
        for (int i = 0; i < 15; i++) {
            fifteen.put("key" + i, "v");
        }
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, AS_ACME, sent)) {
            ValidationException refused = assertThrows(ValidationException.class, () -> bedrock.converse(
                    BedrockCalls.converse(HAIKU, "Hi").toBuilder().requestMetadata(fifteen).build()));
            assertEquals(400, refused.statusCode());
            assertTrue(refused.getMessage().contains("at most 16") && refused.getMessage().contains("at most 14 of your own"),
                    refused.getMessage());
            ValidationException badKey = assertThrows(ValidationException.class, () -> bedrock.invokeModel(
                    BedrockCalls.invokeModel(HAIKU, "Hi").toBuilder().requestMetadata("{\"team\":[\"blue\"]}").build()));
            assertTrue(badKey.getMessage().contains("'team' must be a string"), badKey.getMessage());
        }
        assertTrue(journal.requests().isEmpty(), "nothing was forwarded");
    }

    /**
     * The service tier sent upstream, per policy: acme passes its application's own, flexer is always sent as flex,
     * thrifty may use default and flex only. "-" is no tier.
     */
    @ParameterizedTest(name = "{0} asks for {1} via {2}: {3}")
    @CsvSource({
            "acme,    -,        Converse,    -",
            "acme,    priority, Converse,    priority",
            "flexer,  -,        Converse,    flex",
            "flexer,  priority, Converse,    flex",
            "thrifty, flex,     Converse,    flex",
            "thrifty, -,        Converse,    -",
            "thrifty, priority, Converse,    refused",
            "thrifty, reserved, Converse,    refused",
            "acme,    -,        InvokeModel, -",
            "acme,    priority, InvokeModel, priority",
            "flexer,  -,        InvokeModel, flex",
            "flexer,  priority, InvokeModel, flex",
            "thrifty, flex,     InvokeModel, flex",
            "thrifty, -,        InvokeModel, -",
            "thrifty, priority, InvokeModel, refused",
    })
    void theTierSentUpstreamFollowsTheTenantsPolicy(String tenant, String asked, String operation, String expected) {
        Optional<String> tier = asked.equals("-") ? Optional.empty() : Optional.of(asked);
        Caller caller = Caller.withHeaders(Map.of("X-Tenant-Id", tenant));
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, caller, sent)) {
            Runnable call = operation.equals("Converse")
                    ? () -> served(bedrock.converse(BedrockCalls.converse(HAIKU, "Hi").toBuilder()
                            .serviceTier(tier.map(t -> ServiceTier.builder().type(t).build()).orElse(null)).build()), expected)
                    : () -> served(bedrock.invokeModel(BedrockCalls.invokeModel(HAIKU, "Hi").toBuilder()
                            .serviceTier(tier.orElse(null)).build()), expected);
            if (expected.equals("refused")) {
                AccessDeniedException denied = assertThrows(AccessDeniedException.class, call::run);
                assertTrue(denied.getMessage().contains("tenant " + tenant + " may not use service tier '" + asked + "'")
                        && denied.getMessage().contains("allows default, flex"), denied.getMessage());
                assertTrue(journal.requests().isEmpty(), "nothing was forwarded");
                return;
            }
            call.run();
        }
        RecordedRequest upstream = signedUpstream(operation);
        assertEquals(expected.equals("-") ? Optional.empty() : Optional.of(expected), upstream.requestedServiceTier());
    }

    /** The simulator serves the tier it was sent (else default) and the answer brings it back unchanged. */
    private static void served(ConverseResponse response, String expected) {
        assertEquals(expected.equals("-") ? "default" : expected, response.serviceTier().typeAsString());
    }

    private static void served(InvokeModelResponse response, String expected) {
        assertEquals(expected.equals("-") ? "default" : expected, response.serviceTierAsString());
    }

    private void assertUpstreamInvoke(String operation, Map<String, String> metadata) {
        RecordedRequest upstream = signedUpstream(operation);
        assertEquals(metadata, upstream.requestMetadata());
        assertArrayEquals(sent.last(), upstream.body(), "the body reaches Bedrock byte for byte");
    }

    /** The last request upstream, checked to be signed with the proxy's credentials over what was received. */
    private RecordedRequest signedUpstream(String operation) {
        RecordedRequest upstream = journal.last().orElseThrow();
        assertEquals(operation, upstream.operation());
        assertTrue(upstream.signatureValid(), "the signature covers the body and headers as rewritten");
        return upstream;
    }

    private static JsonObject withoutMetadata(byte[] body) {
        JsonObject json = new JsonObject(Buffer.buffer(body));
        json.remove("requestMetadata");
        return json;
    }

    private static Map<String, String> stamp(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
