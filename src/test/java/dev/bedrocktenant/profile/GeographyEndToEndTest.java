package dev.bedrocktenant.profile;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import dev.bedrocktenant.simulator.SimulatedControlPlane;
import dev.bedrocktenant.simulator.SimulatorJournal;
import dev.bedrocktenant.simulator.SimulatorLifecycle;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;

/**
 * Through the proxy with the real SDK, against a control plane that lists each application profile's model
 * ARN per Region as Bedrock does: every request reaches the profile that keeps to its routing, and one that
 * no profile keeps to never reaches Bedrock.
 */
@QuarkusTest
@QuarkusTestResource(TestTenantsFile.class)
@TestProfile(GeographyEndToEndTest.DiscoveryWithoutCreation.class)
class GeographyEndToEndTest {

    /** Its own simulator port: other test runs use theirs at the same time. */
    public static class DiscoveryWithoutCreation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.simulator.port", "18808",
                    "proxy.upstream-url", "http://127.0.0.1:18808",
                    "proxy.control-plane-url", "http://127.0.0.1:18808",
                    "proxy.profiles.discovery.enabled", "true",
                    "proxy.profiles.miss-ttl", "0s");
        }
    }

    private static final String SONNET_35 = "anthropic.claude-3-5-sonnet-20240620-v1:0";

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorLifecycle simulator;

    @Inject
    SimulatorJournal journal;

    @Inject
    ProfileCatalog catalog;

    private SimulatedControlPlane controlPlane() {
        return simulator.simulator().controlPlane();
    }

    private String seedCopyOf(String name, String modelId, Map<String, String> tags) {
        String source = modelId.contains(".anthropic.") ? "arn:aws:bedrock:us-east-1:111122223333:inference-profile/" + modelId
                : "arn:aws:bedrock:us-east-1::foundation-model/" + modelId;
        return controlPlane().profiles().create(name, source, tags, java.util.Optional.empty()).arn();
    }

    private static Caller tenant(String id) {
        return Caller.withHeaders(Map.of("X-Tenant-Id", id));
    }

    @Test
    void usEuAndBareHaikuEachReachTheirOwnProfileForConverseAndConverseStream() throws Exception {
        Map<String, String> hooli = Map.of("TenantID", "hooli");
        Map<String, String> profiles = Map.of(
                "us." + HAIKU, seedCopyOf("hooli-haiku-us", "us." + HAIKU, hooli),
                "eu." + HAIKU, seedCopyOf("hooli-haiku-eu", "eu." + HAIKU, hooli),
                HAIKU, seedCopyOf("hooli-haiku", HAIKU, hooli));

        try (BedrockRuntimeClient sync = BedrockClients.sync(proxy, tenant("hooli"), new BedrockClients.SentBody());
             BedrockRuntimeAsyncClient async = BedrockClients.async(proxy, tenant("hooli"), new BedrockClients.SentBody())) {
            for (Map.Entry<String, String> routing : profiles.entrySet()) {
                sync.converse(BedrockCalls.converse(routing.getKey(), "Hello"));
                assertEquals(routing.getValue(), journal.last().orElseThrow().modelId(), "Converse " + routing.getKey());

                BedrockCalls.ConverseStreamResult stream =
                        BedrockCalls.converseStream(async, BedrockCalls.converseStream(routing.getKey(), "Hello"));
                assertTrue(stream.metadata != null && !stream.texts.isEmpty(), "the stream was relayed whole");
                assertEquals(routing.getValue(), journal.last().orElseThrow().modelId(), "ConverseStream " + routing.getKey());
            }
        }
    }

    @Test
    void euSonnetWithOnlyAUsProfileIsRefusedAndNothingReachesBedrock() {
        String usSonnet = seedCopyOf("hooli-sonnet-us", "us." + SONNET_35, Map.of("TenantID", "hooli"));
        int before = journal.requests().size();
        try (BedrockRuntimeClient client = BedrockClients.sync(proxy, tenant("hooli"), new BedrockClients.SentBody())) {
            AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                    () -> client.converse(BedrockCalls.converse("eu." + SONNET_35, "Hello")));
            assertTrue(denied.getMessage().contains("routing eu") && denied.getMessage().contains(usSonnet), denied.getMessage());
            assertEquals(before, journal.requests().size(), "nothing was forwarded to Bedrock");

            client.converse(BedrockCalls.converse("us." + SONNET_35, "Hello"));
            assertEquals(usSonnet, journal.last().orElseThrow().modelId());
        }
    }

    @Test
    void aTenantsFileBaseModelKeyPointingAtAUsProfileDoesNotServeEu() throws Exception {
        String usHaiku = seedCopyOf("initech-haiku-us", "us." + HAIKU, Map.of());
        catalog.refresh().join(); // the proxy lists the account every refresh-interval; now, for the test
        Files.writeString(TestTenantsFile.path(), """
                  initech:
                    tags: { TenantID: initech }
                    profiles:
                      "%s": "%s"
                """.formatted(HAIKU, usHaiku), StandardOpenOption.APPEND);

        try (BedrockRuntimeClient client = BedrockClients.sync(proxy, tenant("initech"), new BedrockClients.SentBody())) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> client.converse(BedrockCalls.converse("us." + HAIKU, "Hi")) != null);
            assertEquals(usHaiku, journal.last().orElseThrow().modelId(), "us. is within the profile's Regions");

            int before = journal.requests().size();
            AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                    () -> client.converse(BedrockCalls.converse("eu." + HAIKU, "Hi")));
            assertTrue(denied.getMessage().contains(usHaiku + " (us: us-east-1, us-east-2, us-west-2)"), denied.getMessage());
            assertEquals(before, journal.requests().size(), "nothing was forwarded to Bedrock");
        }
    }
}
