package dev.bedrocktenant.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.simulator.SimulatorJournal;
import dev.bedrocktenant.simulator.SimulatorLifecycle;
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
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;

/**
 * Through the proxy: a model the tenants file does not map goes to the tenant's tagged profile found in
 * the (simulated) account; with auto-create, a missing one is created on the first call.
 */
@QuarkusTest
@QuarkusTestResource(TestTenantsFile.class)
@TestProfile(ProfileDiscoveryEndToEndTest.Discovery.class)
class ProfileDiscoveryEndToEndTest {

    /** Its own simulator port: other test runs use 18788 at the same time. */
    public static class Discovery implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.simulator.port", "18798",
                    "proxy.upstream-url", "http://127.0.0.1:18798",
                    "proxy.control-plane-url", "http://127.0.0.1:18798",
                    "proxy.profiles.discovery.enabled", "true",
                    "proxy.profiles.auto-create", "true");
        }
    }

    private static final String NOVA_PRO = "amazon.nova-pro-v1:0";
    private static final String NOVA_MICRO = "amazon.nova-micro-v1:0";

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorLifecycle simulator;

    @Inject
    SimulatorJournal journal;

    private BedrockRuntimeClient client(String tenant) {
        return BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", tenant)), new BedrockClients.SentBody());
    }

    private static void converse(BedrockRuntimeClient client, String model) {
        client.converse(r -> r.modelId(model).messages(m -> m.role(ConversationRole.USER).content(c -> c.text("Hello"))));
    }

    @Test
    void aTaggedProfileIsFoundAndAMissingOneIsCreated() {
        var controlPlane = simulator.simulator().controlPlane();
        long createdBefore = controlPlane.count("CreateInferenceProfile");
        String tagged = controlPlane.profiles().create("hooli-nova-pro",
                "arn:aws:bedrock:us-east-1::foundation-model/" + NOVA_PRO, Map.of("TenantID", "hooli"), Optional.empty()).arn();

        try (BedrockRuntimeClient hooli = client("hooli")) {
            converse(hooli, NOVA_PRO);
            assertEquals(tagged, journal.last().orElseThrow().modelId());

            converse(hooli, NOVA_MICRO);
            String created = journal.last().orElseThrow().modelId();
            assertTrue(created.contains(":application-inference-profile/"), created);
            assertEquals(createdBefore + 1, controlPlane.count("CreateInferenceProfile"));
            assertEquals(Map.of("TenantID", "hooli", "CostCenter", "research"), controlPlane.profiles().tags(created).orElseThrow());

            converse(hooli, NOVA_MICRO);
            assertEquals(created, journal.last().orElseThrow().modelId());
            assertEquals(createdBefore + 1, controlPlane.count("CreateInferenceProfile"));
        }
        // the tenants file still comes first, and allowedModels still applies before discovery
        try (BedrockRuntimeClient globex = client("globex")) {
            AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> converse(globex, NOVA_PRO));
            assertTrue(denied.getMessage().contains("not in its allowedModels"), denied.getMessage());
        }
    }

    @Test
    void twentyConcurrentFirstEuCallsCreateOneProfileCopyingTheEuSystemProfile() throws Exception {
        String euSonnet = "eu.anthropic.claude-3-5-sonnet-20240620-v1:0";
        var controlPlane = simulator.simulator().controlPlane();
        long createdBefore = controlPlane.count("CreateInferenceProfile");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        try (BedrockRuntimeClient hooli = client("hooli")) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    converse(hooli, euSonnet);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(createdBefore + 1, controlPlane.count("CreateInferenceProfile"));
        var created = controlPlane.profiles().applicationProfiles().stream()
                .filter(p -> p.name().equals("btp-hooli-eu-anthropic-claude-3-5-sonnet-20240620-v1-0")).findFirst().orElseThrow();
        assertTrue(created.models().stream().allMatch(m -> m.startsWith("arn:aws:bedrock:eu-")), created.models().toString());
        assertEquals(20, journal.requests().stream().filter(r -> created.arn().equals(r.modelId())).count(),
                "all 20 calls went to the one created profile");
    }
}
