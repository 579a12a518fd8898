package dev.bedrocktenant.proxy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;

/**
 * A full run — Converse, ConverseStream, InvokeModel, signed callers with secrets, the admin API with its token,
 * a refusal, an error from Bedrock — leaves in the proxy's log no prompt, no completion, no secret and no
 * Authorization value; and a request value cannot forge a log line.
 */
@QuarkusTest
@TestProfile(SecretsNeverLoggedTest.WithAdminToken.class)
@QuarkusTestResource(TestTenantsFile.class)
class SecretsNeverLoggedTest {

    private static final String ADMIN_TOKEN = "admin-token-7f3e9c1d5b";
    /** The caller's signing secret for AKIAACMEEXAMPLE00002 (the pom sets ACME_SIGNING_SECRET). */
    private static final String CALLER_SECRET = "acme-test-signing-secret";
    /** The proxy's own AWS secret access key (application.properties, test profile). */
    private static final String PROXY_SECRET = "simulator-secret-key";
    private static final Path LOG = Path.of("target/quarkus-test.log");

    public static class WithAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.admin.token", ADMIN_TOKEN);
        }
    }

    @TestHTTPResource("/")
    URL proxy;

    @Test
    void aFullRunLogsNoPromptCompletionSecretOrAuthorization() throws Exception {
        long logStart = Files.exists(LOG) ? Files.size(LOG) : 0;
        String prompt = "prompt-text-that-must-not-be-logged-4b1d";
        Caller signed = new Caller("AKIAACMEEXAMPLE00002", CALLER_SECRET, Map.of());
        List<String> completions = new ArrayList<>();
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, signed, new BedrockClients.SentBody());
             BedrockRuntimeClient forged = BedrockClients.sync(proxy, new Caller("AKIAACMEEXAMPLE00002", "wrong-secret-9a8b", Map.of()),
                     new BedrockClients.SentBody());
             BedrockRuntimeAsyncClient async = BedrockClients.async(proxy, signed, new BedrockClients.SentBody())) {
            completions.add(bedrock.converse(BedrockCalls.converse(HAIKU, prompt)).output().message().content().get(0).text());
            completions.add(String.join("", BedrockCalls.converseStream(async, BedrockCalls.converseStream(HAIKU, prompt)).texts));
            SdkBytes invoked = bedrock.invokeModel(BedrockCalls.invokeModel(HAIKU, prompt)).body();
            completions.add(invoked.asUtf8String());
            assertThrows(AccessDeniedException.class, () -> forged.converse(BedrockCalls.converse(HAIKU, prompt)));
            assertThrows(SdkServiceException.class,
                    () -> bedrock.converse(BedrockCalls.converse(HAIKU, prompt + " [[sim:error=InternalServerException]]")));
        }
        RawHttp.Response usage = RawHttp.exchange(proxy, "GET", "/admin/usage", Map.of("Authorization", "Bearer " + ADMIN_TOKEN), "");
        assertEquals(200, usage.status(), usage.body());
        assertEquals(403, RawHttp.exchange(proxy, "GET", "/admin/usage", Map.of("Authorization", "Bearer not-" + ADMIN_TOKEN), "")
                .status());
        Logger.getLogger(SecretsNeverLoggedTest.class).infof("model=%s", "claude\u0000\r\n2026-12-04 INFO forged-line");

        String log = readFrom(logStart);
        assertTrue(log.contains("refused status=403") && log.contains("admin request denied"), "the run was logged:\n" + log);
        List<String> secrets = new ArrayList<>(List.of(prompt, CALLER_SECRET, "wrong-secret-9a8b", PROXY_SECRET, ADMIN_TOKEN,
                "Signature=", "AWS4-HMAC-SHA256", "Credential="));
        for (String completion : completions) {
            assertTrue(completion.length() >= 8, completion);
            secrets.add(completion.length() > 40 ? completion.substring(0, 40) : completion);
        }
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "the log holds " + secret + ":\n" + log);
        }
        assertTrue(log.contains("model=claude\\u0000\\r\\n2026-12-04 INFO forged-line"), log);
        assertTrue(log.lines().noneMatch(line -> line.startsWith("2026-12-04 INFO forged-line")), "no forged line");
        assertFalse(log.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t'), "no control character");
    }

    private static String readFrom(long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
            byte[] bytes = new byte[(int) (file.length() - offset)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
