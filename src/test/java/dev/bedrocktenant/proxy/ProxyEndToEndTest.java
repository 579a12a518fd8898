package dev.bedrocktenant.proxy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailResponse;
import software.amazon.awssdk.services.bedrockruntime.model.AsyncInvokeOutputDataConfig;
import software.amazon.awssdk.services.bedrockruntime.model.AsyncInvokeS3OutputDataConfig;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailChecksConfig;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailChecksContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailChecksMessage;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentSource;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.StartAsyncInvokeResponse;

/**
 * Every Bedrock Runtime operation, called through the real AWS SDK for Java v2 in every way a
 * tenant can be identified, reaches the simulator addressed to the tenant's application inference
 * profile, signed with the proxy's credentials, without tenant headers and with the application's
 * body byte for byte (Converse's but for the tenant's request metadata); the answer comes back intact.
 */
@QuarkusTest
@QuarkusTestResource(TestTenantsFile.class)
class ProxyEndToEndTest {

    static final String ACME_HAIKU_PROFILE =
            "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01";
    static final String ACME_REEL_PROFILE =
            "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0reel01";
    static final String SIMULATOR_KEY = "AKIASIMULATOR0000001";

    /** The four ways a request can say it is acme's. */
    enum Identification {
        TENANT_HEADER(Caller.withHeaders(Map.of("X-Tenant-Id", "acme"))),
        TAG_HEADERS(Caller.withHeaders(Map.of("X-Bedrock-Tag-TenantID", "acme", "X-Bedrock-Tag-CostCenter", "marketing"))),
        ACCESS_KEY(Caller.withKey("AKIAACMEEXAMPLE00001", "any-secret-the-proxy-does-not-check")),
        VERIFIED_SIGNATURE(Caller.withKey("AKIAACMEEXAMPLE00002", "acme-test-signing-secret"));

        final Caller caller;

        Identification(Caller caller) {
            this.caller = caller;
        }
    }

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorJournal journal;

    private final SentBody sent = new SentBody();

    @BeforeEach
    void clearJournal() {
        journal.clear();
    }

    @ParameterizedTest
    @EnumSource(Identification.class)
    void converseGoesToTheTenantsProfile(Identification mode) {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, mode.caller, sent)) {
            ConverseResponse response = bedrock.converse(BedrockCalls.converse(HAIKU, "Hi [[sim:input-tokens=17]]"));
            assertEquals("Hello from the", response.output().message().content().get(0).text());
            assertEquals(17, response.usage().inputTokens());
            assertEquals(3, response.usage().outputTokens());
        }
        assertForwarded("Converse", ACME_HAIKU_PROFILE);
    }

    @ParameterizedTest
    @EnumSource(Identification.class)
    void invokeModelGoesToTheTenantsProfileAndKeepsTheTokenHeaders(Identification mode) {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, mode.caller, sent)) {
            InvokeModelResponse response = bedrock.invokeModel(
                    BedrockCalls.invokeModel(HAIKU, "Hi [[sim:input-tokens=21]] [[sim:output-tokens=4]]"));
            assertTrue(response.body().asUtf8String().contains("Hello from the"));
            assertEquals("21", response.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Input-Token-Count").orElseThrow());
            assertEquals("4", response.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Output-Token-Count").orElseThrow());
        }
        assertForwarded("InvokeModel", ACME_HAIKU_PROFILE);
    }

    @ParameterizedTest
    @EnumSource(Identification.class)
    void converseStreamDeliversEveryEvent(Identification mode) throws Exception {
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, mode.caller, sent)) {
            BedrockCalls.ConverseStreamResult result = BedrockCalls.converseStream(bedrock,
                    BedrockCalls.converseStream(HAIKU, "Hi [[sim:events=5]] [[sim:input-tokens=9]] [[sim:cache-read=2]]"));
            assertEquals(List.of("Hello", " from", " the", " Bedrock", " simulator"), result.texts);
            assertEquals(9, result.metadata.usage().inputTokens());
            assertEquals(2, result.metadata.usage().cacheReadInputTokens());
        }
        assertForwarded("ConverseStream", ACME_HAIKU_PROFILE);
    }

    @ParameterizedTest
    @EnumSource(Identification.class)
    void invokeModelWithResponseStreamDeliversEveryChunk(Identification mode) throws Exception {
        List<String> chunks;
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, mode.caller, sent)) {
            chunks = BedrockCalls.invokeModelStream(bedrock,
                    BedrockCalls.invokeModelStream(HAIKU, "Hi [[sim:events=4]] [[sim:output-tokens=4]]"));
        }
        assertTrue(chunks.get(0).contains("message_start"), chunks.get(0));
        assertTrue(chunks.get(chunks.size() - 1).contains("\"outputTokenCount\":4"), chunks.get(chunks.size() - 1));
        assertEquals(4, chunks.stream().filter(c -> c.contains("content_block_delta")).count());
        assertForwarded("InvokeModelWithResponseStream", ACME_HAIKU_PROFILE);
    }

    @ParameterizedTest
    @EnumSource(Identification.class)
    void countTokensGoesToTheBaseModelOfASystemProfile(Identification mode) {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, mode.caller, sent)) {
            int tokens = bedrock.countTokens(r -> r.modelId("us." + HAIKU).input(CountTokensInput.fromConverse(
                    ConverseTokensRequest.builder().messages(BedrockCalls.userMessage("Hi [[sim:input-tokens=12]]")).build())))
                    .inputTokens();
            assertEquals(12, tokens);
        }
        assertForwarded("CountTokens", HAIKU);
    }

    @ParameterizedTest
    @EnumSource(Identification.class)
    void applyGuardrailIsForwardedUnchanged(Identification mode) {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, mode.caller, sent)) {
            ApplyGuardrailResponse response = bedrock.applyGuardrail(r -> r.guardrailIdentifier("gr-1")
                    .guardrailVersion("DRAFT").source(GuardrailContentSource.INPUT)
                    .content(GuardrailContentBlock.fromText(GuardrailTextBlock.builder().text("Hi").build())));
            assertTrue(response.action() != null);
        }
        RecordedRequest upstream = assertForwarded("ApplyGuardrail", null);
        assertEquals("/guardrail/gr-1/version/DRAFT/apply", upstream.rawPath());
    }

    @ParameterizedTest
    @EnumSource(Identification.class)
    void invokeGuardrailChecksIsForwardedUnchanged(Identification mode) {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, mode.caller, sent)) {
            bedrock.invokeGuardrailChecks(r -> r.messages(GuardrailChecksMessage.builder().role("user")
                            .content(GuardrailChecksContentBlock.builder().text("Hi").build()).build())
                    .checks(GuardrailChecksConfig.builder().build()));
        }
        assertEquals("/guardrail-checks/invoke", assertForwarded("InvokeGuardrailChecks", null).rawPath());
    }

    @ParameterizedTest
    @EnumSource(Identification.class)
    void asyncInvokeRoundTripRewritesOnlyTheBodysModelId(Identification mode) {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, mode.caller, sent)) {
            StartAsyncInvokeResponse started = bedrock.startAsyncInvoke(r -> r.modelId("amazon.nova-reel-v1:1")
                    .modelInput(Document.mapBuilder().putString("taskType", "TEXT_VIDEO").build())
                    .outputDataConfig(AsyncInvokeOutputDataConfig.fromS3OutputDataConfig(
                            AsyncInvokeS3OutputDataConfig.builder().s3Uri("s3://bucket/videos").build())));
            RecordedRequest start = journal.last().orElseThrow();
            assertEquals("StartAsyncInvoke", start.operation());
            assertEquals(ACME_REEL_PROFILE, start.modelId());
            String sentBody = new String(sent.last(), StandardCharsets.UTF_8);
            assertEquals(sentBody.replace("\"amazon.nova-reel-v1:1\"", "\"" + ACME_REEL_PROFILE + "\""), start.bodyText());
            assertForwardedSignedWithoutTenantHeaders(start);

            assertEquals(started.invocationArn(), bedrock.getAsyncInvoke(r -> r.invocationArn(started.invocationArn())).invocationArn());
            assertForwarded("GetAsyncInvoke", null);
            bedrock.listAsyncInvokes(r -> r.maxResults(5));
            assertEquals("maxResults=5", journal.last().orElseThrow().rawQuery());
            assertForwarded("ListAsyncInvokes", null);
        }
    }

    @Test
    void aMultiMegabyteBodyArrivesIntactAndCorrectlySigned() {
        String prompt = "0123456789abcdef".repeat(200_000);
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, Identification.TENANT_HEADER.caller, sent)) {
            bedrock.converse(BedrockCalls.converse(HAIKU, prompt));
        }
        assertTrue(sent.last().length > ProxyHandler.SIGN_ON_EVENT_LOOP_MAX_BYTES);
        assertForwarded("Converse", ACME_HAIKU_PROFILE);
    }

    /**
     * botocore signs no x-amz-content-sha256; its signature must still prove the tenant. Runs only where
     * python3 with boto3 is installed (the signing tests cover botocore's signature from a recording).
     */
    @Test
    void aBoto3CallerWithASecretIsIdentifiedByItsSignature() throws Exception {
        assertEquals("ok\n", boto3("acme-test-signing-secret"));
        assertEquals(ACME_HAIKU_PROFILE, journal.last().orElseThrow().modelId());
        assertForwardedSignedWithoutTenantHeaders(journal.last().orElseThrow());
        journal.clear();
        assertTrue(boto3("not-the-secret").contains("AccessDeniedException"));
        assertTrue(journal.last().isEmpty(), "a wrong signature is not forwarded");
    }

    /** What a boto3 converse call as acme's signing key printed: "ok", or the error code. */
    private String boto3(String secret) throws Exception {
        String script = """
                import sys, boto3, botocore.exceptions
                c = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], region_name="us-east-1",
                                 aws_access_key_id="AKIAACMEEXAMPLE00002", aws_secret_access_key=sys.argv[2])
                try:
                    c.converse(modelId=sys.argv[3], messages=[{"role": "user", "content": [{"text": "Hi"}]}])
                    print("ok")
                except botocore.exceptions.ClientError as e:
                    print(e.response["Error"]["Code"])
                """;
        Process python;
        try {
            python = new ProcessBuilder("python3", "-c", script, proxy.toString(), secret, HAIKU)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException noPython) {
            Assumptions.abort("python3 is not installed");
            throw noPython;
        }
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(python.waitFor() == 0 || !out.isEmpty(), "python3 has no boto3");
        return out;
    }

    /** Checks the last request the simulator received against what the application sent. */
    private RecordedRequest assertForwarded(String operation, String expectedModelId) {
        RecordedRequest upstream = journal.last().orElseThrow();
        assertEquals(operation, upstream.operation());
        if (expectedModelId != null) {
            assertEquals(expectedModelId, upstream.modelId());
        }
        assertArrayEquals(operation.startsWith("Converse") ? stampedWithAcme(sent.last()) : sent.last(), upstream.body(),
                "the body reaches Bedrock byte for byte, but for the tenant's request metadata");
        assertForwardedSignedWithoutTenantHeaders(upstream);
        return upstream;
    }

    /** A Converse body the application sent, as the proxy forwards it for acme: its metadata first in the object. */
    static byte[] stampedWithAcme(byte[] sent) {
        String body = new String(sent, StandardCharsets.UTF_8);
        return ("{\"requestMetadata\":{\"TenantID\":\"acme\",\"CostCenter\":\"marketing\"}," + body.substring(1))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void assertForwardedSignedWithoutTenantHeaders(RecordedRequest upstream) {
        assertTrue(upstream.signatureValid(), "signed with the proxy's credentials");
        assertTrue(upstream.header("Authorization").contains("Credential=" + SIMULATOR_KEY + "/"));
        assertNull(upstream.header("X-Tenant-Id"));
        assertFalse(upstream.headers().names().stream().anyMatch(n -> n.toLowerCase().startsWith("x-bedrock-tag-")),
                "tag headers are stripped");
    }
}
