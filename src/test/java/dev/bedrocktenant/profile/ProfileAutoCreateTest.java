package dev.bedrocktenant.profile;

import static dev.bedrocktenant.profile.SimulatedAccount.HAIKU;
import static dev.bedrocktenant.profile.SimulatedAccount.SONNET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import dev.bedrocktenant.profile.ModelTarget.Source;
import dev.bedrocktenant.simulator.InferenceProfileStore;
import dev.bedrocktenant.wire.BedrockOperation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Auto-creation with the real SDK client against the simulated control plane. */
class ProfileAutoCreateTest {

    private SimulatedAccount account;

    @BeforeEach
    void start() throws Exception {
        account = new SimulatedAccount();
    }

    @AfterEach
    void stop() throws Exception {
        account.close();
    }

    private ModelTarget resolve(ProfileResolver resolver, String model) {
        return resolver.resolve(ProfileDiscoveryTest.ACME, BedrockOperation.CONVERSE, model).await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void twentyConcurrentFirstRequestsCreateExactlyOneProfile() throws Exception {
        ProfileResolver resolver = new ProfileResolver(() -> ProfileConfig.UnmappedModel.REJECT,
                account.catalog(true, Duration.ofSeconds(30)));
        // Outside Quarkus, SmallRye's context-propagation provider is set up lazily by Mutiny's first use,
        // and that set-up is not thread-safe: do it once here, as Quarkus does at boot.
        io.smallrye.mutiny.Uni.createFrom().completionStage(java.util.concurrent.CompletableFuture.completedFuture(1))
                .await().indefinitely();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ModelTarget>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return resolve(resolver, HAIKU);
            }));
        }
        go.countDown();
        Set<String> arns = new java.util.HashSet<>();
        for (Future<ModelTarget> result : results) {
            ModelTarget target = result.get();
            assertEquals(Source.AUTO_CREATED, target.source());
            arns.add(target.forwardedModelId());
        }
        pool.shutdown();

        assertEquals(1, arns.size());
        assertEquals(1, account.controlPlane().count("CreateInferenceProfile"));
        InferenceProfileStore.Profile created = account.profiles().applicationProfiles().get(0);
        assertEquals(arns.iterator().next(), created.arn());
        assertEquals("btp-acme-anthropic-claude-3-haiku-20240307-v1-0", created.name());
        assertEquals(Map.of("TenantID", "acme", "CostCenter", "marketing"), created.tags());
        assertEquals(List.of("arn:aws:bedrock:us-east-1::foundation-model/" + HAIKU), created.models());

        assertEquals(arns.iterator().next(), resolve(resolver, HAIKU).forwardedModelId());
        assertEquals(1, account.controlPlane().count("CreateInferenceProfile"));
    }

    @Test
    void aRestartedProxyFindsTheProfileBeforeCreating() {
        ProfileResolver first = new ProfileResolver(() -> ProfileConfig.UnmappedModel.REJECT,
                account.catalog(true, Duration.ofSeconds(30)));
        String arn = resolve(first, HAIKU).forwardedModelId();

        ProfileResolver restarted = new ProfileResolver(() -> ProfileConfig.UnmappedModel.REJECT,
                account.catalog(true, Duration.ofSeconds(30)));
        ModelTarget again = resolve(restarted, HAIKU);
        assertEquals(arn, again.forwardedModelId());
        assertEquals(Source.DISCOVERY, again.source());
        assertEquals(1, account.controlPlane().count("CreateInferenceProfile"));
    }

    @Test
    void aSystemProfileIsCopiedAsACrossRegionProfile() {
        ProfileResolver resolver = new ProfileResolver(() -> ProfileConfig.UnmappedModel.REJECT,
                account.catalog(true, Duration.ofSeconds(30)));
        resolve(resolver, "us." + SONNET);
        InferenceProfileStore.Profile created = account.profiles().applicationProfiles().get(0);
        assertEquals(3, created.models().size());
        assertTrue(created.models().stream().allMatch(m -> m.endsWith("/" + SONNET)), created.models().toString());
        assertEquals("btp-acme-us-anthropic-claude-sonnet-4-20250514-v1-0", created.name());
        // one for the system profile's ARN, one to read back the Regions the created profile routes to
        assertEquals(2, account.controlPlane().count("GetInferenceProfile"));
    }

    @Test
    void theIdempotencyTokenMakesARetriedCreateReturnTheSameProfile() {
        ProfileDiscovery discovery = new ProfileDiscovery(account.bedrock);
        ProfileCreator creator = new ProfileCreator(account.bedrock, discovery, "us-east-1", "btp");
        ProfileRequest request = ProfileRequest.of(ProfileDiscoveryTest.ACME, "TenantID", ModelId.parse(HAIKU), HAIKU, "us-east-1");
        String first = creator.create(request).join().arn();
        String second = creator.create(request).join().arn();
        assertEquals(first, second);
        assertEquals(1, account.profiles().applicationProfiles().size());
        assertEquals(Set.of(first), account.profiles().applicationProfiles().stream()
                .map(InferenceProfileStore.Profile::arn).collect(Collectors.toSet()));
    }
}
