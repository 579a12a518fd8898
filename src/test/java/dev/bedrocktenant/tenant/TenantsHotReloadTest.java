package dev.bedrocktenant.tenant;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import dev.bedrocktenant.simulator.SimulatorJournal;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;

/** A tenant added to the running proxy's tenants file is served within seconds, without a restart. */
@QuarkusTest
@QuarkusTestResource(TestTenantsFile.class)
class TenantsHotReloadTest {

    private static final String INITECH_PROFILE =
            "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/initech0haiku";

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorJournal journal;

    @Test
    void aTenantAddedToTheFileIsServedWithoutRestart() throws Exception {
        Caller initech = Caller.withHeaders(Map.of("X-Tenant-Id", "initech"));
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, initech, new BedrockClients.SentBody())) {
            assertThrows(AccessDeniedException.class, () -> bedrock.converse(BedrockCalls.converse(HAIKU, "Hi")));

            Files.writeString(TestTenantsFile.path(), """
                      initech:
                        tags: { TenantID: initech }
                        profiles:
                          "anthropic.claude-3-haiku-20240307-v1:0": "%s"
                    """.formatted(INITECH_PROFILE), StandardOpenOption.APPEND);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> bedrock.converse(BedrockCalls.converse(HAIKU, "Hi")) != null);
        }
        assertEquals(INITECH_PROFILE, journal.last().orElseThrow().modelId());
    }
}
