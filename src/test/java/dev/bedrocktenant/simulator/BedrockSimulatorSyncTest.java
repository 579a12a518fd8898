package dev.bedrocktenant.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.simulator.RecordedRequest.Outcome;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.GetAsyncInvokeResponse;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAction;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentSource;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** The non-streaming operations, through the real sync SDK client. */
class BedrockSimulatorSyncTest {

    static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
    static final String PROFILE_ARN = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01";

    static RunningSimulator sim;
    static BedrockRuntimeClient client;

    @BeforeAll
    static void start() throws Exception {
        sim = new RunningSimulator();
        client = sim.syncClient();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        sim.close();
    }

    @BeforeEach
    void clear() {
        sim.journal.clear();
    }

    static Message user(String text) {
        return Message.builder().role(ConversationRole.USER).content(c -> c.text(text)).build();
    }

    @Test
    void converseReportsTheDirectedUsageAndIsJournaled() throws Exception {
        ConverseResponse response = client.converse(r -> r.modelId(HAIKU).messages(user(
                "hi [[sim:input-tokens=120]] [[sim:output-tokens=45]] [[sim:cache-read=30]] [[sim:cache-write=7]]")));
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals("Hello from the", response.output().message().content().get(0).text());
        assertEquals(120, response.usage().inputTokens());
        assertEquals(45, response.usage().outputTokens());
        assertEquals(30, response.usage().cacheReadInputTokens());
        assertEquals(7, response.usage().cacheWriteInputTokens());
        assertEquals(202, response.usage().totalTokens());
        assertNotNull(response.metrics().latencyMs());
        assertTrue(response.responseMetadata().requestId().matches("[0-9a-f-]{36}"));

        RecordedRequest recorded = sim.journal.last().orElseThrow();
        assertEquals("Converse", recorded.operation());
        assertEquals("POST", recorded.method());
        assertEquals("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", recorded.rawPath());
        assertEquals(HAIKU, recorded.modelId());
        assertTrue(recorded.signatureValid());
        assertTrue(recorded.bodyText().contains("[[sim:output-tokens=45]]"));
        assertTrue(recorded.header("authorization").startsWith("AWS4-HMAC-SHA256 Credential=" + RunningSimulator.ACCESS_KEY));
        assertEquals(Outcome.COMPLETED, recorded.outcome().get(5, TimeUnit.SECONDS));
    }

    @Test
    void converseDefaultsAreDocumentedOnes() {
        ConverseResponse response = client.converse(r -> r.modelId(PROFILE_ARN).messages(user("[[sim:events=5]]")));
        int bodyBytes = sim.journal.last().orElseThrow().body().length;
        assertEquals((bodyBytes + 3) / 4, response.usage().inputTokens());
        assertEquals(5, response.usage().outputTokens());
        assertNull(response.usage().cacheReadInputTokens());
        assertNull(response.usage().cacheWriteInputTokens());
        assertEquals(PROFILE_ARN, sim.journal.last().orElseThrow().modelId());
    }

    @Test
    void invokeModelAnswersAnthropicJsonWithTokenHeaders() {
        InvokeModelResponse response = client.invokeModel(r -> r.modelId(HAIKU).contentType("application/json")
                .body(SdkBytes.fromUtf8String("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":50,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"[[sim:input-tokens=11]][[sim:output-tokens=22]]"
                        + "[[sim:cache-read=3]]\"}]}")));
        assertEquals("application/json", response.contentType());
        JsonObject body = new JsonObject(response.body().asUtf8String());
        assertEquals("message", body.getString("type"));
        assertEquals(11, body.getJsonObject("usage").getInteger("input_tokens"));
        assertEquals(22, body.getJsonObject("usage").getInteger("output_tokens"));
        assertEquals("11", header(response, "X-Amzn-Bedrock-Input-Token-Count"));
        assertEquals("22", header(response, "X-Amzn-Bedrock-Output-Token-Count"));
        assertEquals("3", header(response, "X-Amzn-Bedrock-Cache-Read-Input-Token-Count"));
        assertTrue(response.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Cache-Write-Input-Token-Count").isEmpty());
        assertNotNull(header(response, "X-Amzn-Bedrock-Invocation-Latency"));
        assertEquals("InvokeModel", sim.journal.last().orElseThrow().operation());
    }

    @Test
    void theServedTierIsTheOneAskedForElseDefaultElseTheDirectedOne() {
        assertEquals("default", client.converse(r -> r.modelId(HAIKU).messages(user("hi"))).serviceTier().typeAsString());
        assertEquals("flex", client.converse(r -> r.modelId(HAIKU).messages(user("hi"))
                .serviceTier(t -> t.type("flex"))).serviceTier().typeAsString());
        assertEquals(Optional.of("flex"), sim.journal.last().orElseThrow().requestedServiceTier());
        assertEquals("default", client.converse(r -> r.modelId(HAIKU).messages(user("[[sim:served-tier=default]]"))
                .serviceTier(t -> t.type("priority"))).serviceTier().typeAsString());
        InvokeModelResponse invoked = client.invokeModel(r -> r.modelId(HAIKU).contentType("application/json")
                .serviceTier("priority").requestMetadata("{\"team\":\"blue\"}").body(SdkBytes.fromUtf8String("{}")));
        assertEquals("priority", invoked.serviceTierAsString());
        assertEquals(Map.of("team", "blue"), sim.journal.last().orElseThrow().requestMetadata());
    }

    private static String header(InvokeModelResponse response, String name) {
        return response.sdkHttpResponse().firstMatchingHeader(name).orElse(null);
    }

    @Test
    void countTokens() {
        int tokens = client.countTokens(r -> r.modelId(HAIKU).input(i -> i.converse(c -> c.messages(
                user("count me [[sim:input-tokens=321]]"))))).inputTokens();
        assertEquals(321, tokens);
        assertEquals("CountTokens", sim.journal.last().orElseThrow().operation());
    }

    @Test
    void guardrailOperations() {
        var applied = client.applyGuardrail(r -> r.guardrailIdentifier("gr-1").guardrailVersion("DRAFT")
                .source(GuardrailContentSource.INPUT).content(c -> c.text(t -> t.text("hello"))));
        assertEquals(GuardrailAction.NONE, applied.action());
        assertEquals(1, applied.usage().contentPolicyUnits());
        var checked = client.invokeGuardrailChecks(r -> r
                .messages(m -> m.role("user").content(c -> c.text("hello")))
                .checks(c -> c.contentFilter(f -> f.categories(x -> x.category("HATE")))));
        assertNotNull(checked.results());
        assertEquals("InvokeGuardrailChecks", sim.journal.last().orElseThrow().operation());
    }

    @Test
    void asyncInvokeRoundTrip() {
        String arn = client.startAsyncInvoke(r -> r.modelId("amazon.nova-reel-v1:0")
                .modelInput(Document.mapBuilder().putString("taskType", "TEXT_VIDEO").build())
                .outputDataConfig(o -> o.s3OutputDataConfig(s -> s.s3Uri("s3://bucket/out")))).invocationArn();
        assertTrue(arn.matches("arn:aws:bedrock:us-east-1:\\d{12}:async-invoke/[a-z0-9]{12}"), arn);
        assertEquals("amazon.nova-reel-v1:0", sim.journal.last().orElseThrow().modelId());
        assertEquals("StartAsyncInvoke", sim.journal.last().orElseThrow().operation());

        GetAsyncInvokeResponse got = client.getAsyncInvoke(r -> r.invocationArn(arn));
        assertEquals(arn, got.invocationArn());
        assertEquals("s3://bucket/out", got.outputDataConfig().s3OutputDataConfig().s3Uri());
        assertNotNull(got.submitTime());
        assertEquals("GetAsyncInvoke", sim.journal.last().orElseThrow().operation());
        assertNull(sim.journal.last().orElseThrow().modelId());

        assertTrue(client.listAsyncInvokes(r -> r.maxResults(10)).asyncInvokeSummaries().stream()
                .anyMatch(s -> s.invocationArn().equals(arn)));
        assertEquals("maxResults=10", sim.journal.last().orElseThrow().rawQuery());
        assertTrue(sim.journal.last().orElseThrow().signatureValid());
    }

    @Test
    void errorDirectivesBecomeTypedExceptionsWithTheModelsStatus() {
        assertError(ThrottlingException.class, 429, "ThrottlingException");
        assertError(InternalServerException.class, 500, "InternalServerException");
        assertError(ServiceUnavailableException.class, 503, "ServiceUnavailableException");
        assertError(ValidationException.class, 400, "ValidationException");
        assertError(ModelErrorException.class, 424, "ModelErrorException");
        // An unknown shape or a typo in a directive is itself a ValidationException.
        assertError(ValidationException.class, 400, "NoSuchException");
        ValidationException typo = assertThrows(ValidationException.class,
                () -> client.converse(r -> r.modelId(HAIKU).messages(user("[[sim:evnts=2]]"))));
        assertTrue(typo.getMessage().contains("unknown simulator directive"));
    }

    private static void assertError(Class<? extends AwsServiceException> type, int status, String shape) {
        AwsServiceException e = assertThrows(type,
                () -> client.converse(r -> r.modelId(HAIKU).messages(user("[[sim:error=" + shape + "]]"))));
        assertEquals(status, e.statusCode());
        assertNotNull(e.requestId());
    }

    @Test
    void delayHoldsTheResponseBack() {
        long start = System.nanoTime();
        client.converse(r -> r.modelId(HAIKU).messages(user("[[sim:delay-ms=400]]")));
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 400);
    }
}
