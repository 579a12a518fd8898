package dev.bedrocktenant.proxy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;

import dev.bedrocktenant.simulator.SimulatorJournal;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.RawHttp;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * What goes wrong is answered in Bedrock's own error shape, so the application's SDK raises its
 * usual typed exception with a message that says what and why; nothing refused reaches Bedrock.
 */
@QuarkusTest
@QuarkusTestResource(TestTenantsFile.class)
class ErrorResponsesTest {

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorJournal journal;

    @BeforeEach
    void clearJournal() {
        journal.clear();
    }

    private <T extends BedrockRuntimeException> T refused(Class<T> type, Caller caller, String modelId) {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, caller, new BedrockClients.SentBody())) {
            return assertThrows(type, () -> bedrock.converse(BedrockCalls.converse(modelId, "Hi")));
        }
    }

    @Test
    void anUnknownTenantIsDeniedAndNamed() {
        AccessDeniedException denied = refused(AccessDeniedException.class,
                Caller.withHeaders(Map.of("X-Tenant-Id", "nobody-here")), HAIKU);
        assertEquals(403, denied.statusCode());
        assertTrue(denied.getMessage().contains("nobody-here"), denied.getMessage());
        assertTrue(journal.requests().isEmpty(), "nothing was forwarded");
    }

    @Test
    void aCallerWhoSaysNothingAboutItsTenantIsDeniedWithAHint() {
        AccessDeniedException denied = refused(AccessDeniedException.class, Caller.withHeaders(Map.of()), HAIKU);
        assertTrue(denied.getMessage().contains("X-Tenant-Id"), denied.getMessage());
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void aModelWithoutAProfileIsDeniedNamingTenantAndModel() {
        AccessDeniedException denied = refused(AccessDeniedException.class,
                Caller.withHeaders(Map.of("X-Tenant-Id", "acme")), "amazon.titan-text-express-v1");
        assertTrue(denied.getMessage().contains("acme") && denied.getMessage().contains("amazon.titan-text-express-v1"),
                denied.getMessage());
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void aModelOutsideTheTenantsAllowedListIsDenied() {
        AccessDeniedException denied = refused(AccessDeniedException.class,
                Caller.withKey("AKIAGLOBEXEXAMPLE001", "x"), "amazon.nova-lite-v1:0");
        assertTrue(denied.getMessage().contains("globex"), denied.getMessage());
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void aWrongSignatureForAKeyWithASecretIsDenied() {
        AccessDeniedException denied = refused(AccessDeniedException.class,
                Caller.withKey("AKIAACMEEXAMPLE00002", "not-the-secret"), HAIKU);
        assertTrue(denied.getMessage().toLowerCase().contains("signature"), denied.getMessage());
    }

    @Test
    void aVerifiedTenantCannotClaimAnotherByHeader() {
        Caller acmeClaimingGlobex = new Caller("AKIAACMEEXAMPLE00002", "acme-test-signing-secret",
                Map.of("X-Tenant-Id", "globex"));
        refused(AccessDeniedException.class, acmeClaimingGlobex, HAIKU);
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void aBodyOverTheLimitIsAValidationErrorBeforeAnythingIsForwarded() {
        String prompt = "x".repeat(26 * 1024 * 1024);
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "acme")),
                new BedrockClients.SentBody())) {
            ValidationException invalid = assertThrows(ValidationException.class,
                    () -> bedrock.converse(BedrockCalls.converse(HAIKU, prompt)));
            assertTrue(invalid.getMessage().contains("exceeds"), invalid.getMessage());
        }
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void bedrocksOwnErrorsPassThroughUnchanged() {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "acme")),
                new BedrockClients.SentBody())) {
            ThrottlingException throttled = assertThrows(ThrottlingException.class,
                    () -> bedrock.converse(BedrockCalls.converse(HAIKU, "[[sim:error=ThrottlingException]]")));
            assertEquals(429, throttled.statusCode());
            assertEquals(journal.last().orElseThrow().operation(), "Converse");
            InternalServerException broken = assertThrows(InternalServerException.class,
                    () -> bedrock.converse(BedrockCalls.converse(HAIKU, "[[sim:error=InternalServerException]]")));
            assertEquals(500, broken.statusCode());
        }
    }

    @Test
    void anUnknownOperationIsAValidationErrorInBedrocksShape() throws Exception {
        RawHttp.Response response = RawHttp.exchange(proxy, "POST", "/model/" + HAIKU + "/summon",
                Map.of("X-Tenant-Id", "acme"), "{}");
        assertEquals(400, response.status());
        assertEquals("ValidationException", response.header("x-amzn-ErrorType"));
        assertTrue(response.body().contains("not a Bedrock Runtime operation"), response.body());
        assertTrue(journal.requests().isEmpty());
    }

    @Test
    void brokenPercentEncodingIsAValidationErrorInBedrocksShape() throws Exception {
        for (String path : new String[] {"/model/anthropic%ZZclaude/converse", "/model/anthropic%E2%28claude/converse"}) {
            RawHttp.Response response = RawHttp.exchange(proxy, "POST", path, Map.of("X-Tenant-Id", "acme"), "{}");
            assertEquals(400, response.status(), path);
            assertEquals("ValidationException", response.header("x-amzn-ErrorType"), path);
            assertTrue(response.body().contains("percent-encod"), response.body());
        }
        assertTrue(journal.requests().isEmpty());
    }
}
