package dev.bedrocktenant.profile;

import static dev.bedrocktenant.profile.SimulatedAccount.HAIKU;
import static dev.bedrocktenant.profile.SimulatedAccount.SONNET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.profile.ModelTarget.Source;
import dev.bedrocktenant.proxy.BedrockOperation;
import dev.bedrocktenant.proxy.ProxyRefusal;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantsFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery with the real SDK client against the simulated control plane. */
class ProfileDiscoveryTest {

    static final Tenant ACME = new TenantsFile(name -> Optional.empty()).parse("""
            tenants:
              acme:
                tags: { TenantID: acme, CostCenter: marketing }
            """).byId("acme").orElseThrow();

    private SimulatedAccount account;

    @BeforeEach
    void start() throws Exception {
        account = new SimulatedAccount();
    }

    @AfterEach
    void stop() throws Exception {
        account.close();
    }

    private static ModelTarget resolve(ProfileResolver resolver, String model) {
        return resolver.resolve(ACME, BedrockOperation.CONVERSE, model).await().atMost(Duration.ofSeconds(30));
    }

    private static ProfileResolver rejecting(ProfileCatalog catalog) {
        return new ProfileResolver(() -> ProfileConfig.UnmappedModel.REJECT, catalog);
    }

    /** 250 profiles of other tenants and models; acme's Haiku profile is the 230th, on page 3 of 100. */
    private String seedManyWithAcmeOnPage3() {
        String acme = null;
        for (int i = 0; i < 250; i++) {
            if (i == 229) {
                acme = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
            } else {
                account.seed("other-" + i, i % 2 == 0 ? HAIKU : SONNET, Map.of("TenantID", "tenant" + i));
            }
        }
        account.controlPlane().pageSize(100);
        return acme;
    }

    @Test
    void aTaggedProfileOnALaterPageIsFound() {
        String acme = seedManyWithAcmeOnPage3();
        ModelTarget target = resolve(rejecting(account.catalog(false, Duration.ofSeconds(30))), HAIKU);

        assertEquals(new ModelTarget(HAIKU, acme, Optional.of(acme), Source.DISCOVERY), target);
        assertEquals(3, account.controlPlane().count("ListInferenceProfiles"));
        // tags only of the profiles of the requested model
        assertEquals(126, account.controlPlane().count("ListTagsForResource"));
    }

    @Test
    void otherFormsOfTheModelFindTheSameProfile() {
        String acme = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
        ProfileResolver resolver = rejecting(account.catalog(false, Duration.ofSeconds(30)));
        assertEquals(acme, resolve(resolver, "us." + HAIKU).forwardedModelId());
        assertEquals(acme, resolve(resolver, "arn:aws:bedrock:us-east-1::foundation-model/" + HAIKU).forwardedModelId());
        assertEquals(1, account.controlPlane().count("ListInferenceProfiles"), "the second form is served from memory");
    }

    @Test
    void aProfileNamedByItsArnIsPricedAsTheModelItCopies() {
        String untagged = account.seed("shared-sonnet", SONNET, Map.of());
        ProfileCatalog catalog = account.catalog(false, Duration.ofSeconds(30));
        catalog.refresh().join();
        ModelTarget target = new ProfileResolver(() -> ProfileConfig.UnmappedModel.PASSTHROUGH, catalog)
                .resolve(ACME, BedrockOperation.CONVERSE, untagged).await().atMost(Duration.ofSeconds(30));

        assertEquals(untagged, target.forwardedModelId());
        assertEquals(SONNET, target.pricedModelId());
        assertEquals(Optional.of(SONNET), catalog.copiedModelOf(untagged));
    }

    @Test
    void aRefreshPicksUpANewProfileAndDropsADeletedOne() {
        ProfileCatalog catalog = account.catalog(false, Duration.ofSeconds(30));
        catalog.refresh().join();
        ProfileKey key = new ProfileKey("acme", SONNET);
        assertTrue(catalog.known(key).isEmpty());

        String arn = account.seed("acme-sonnet", SONNET, Map.of("TenantID", "acme"));
        catalog.refresh().join();
        assertEquals(arn, catalog.known(key).orElseThrow().profile().arn());
        assertEquals(Source.DISCOVERY, catalog.known(key).orElseThrow().source());
        assertTrue(catalog.refreshState().lastSuccess().isPresent());

        account.profiles().delete(arn);
        catalog.refresh().join();
        assertTrue(catalog.known(key).isEmpty());
    }

    @Test
    void aMissIsLookedUpOnceAndRemembered() {
        ProfileResolver resolver = rejecting(account.catalog(false, Duration.ofSeconds(30)));
        for (int i = 0; i < 3; i++) {
            ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> resolve(resolver, SONNET));
            assertTrue(refusal.getMessage().contains("none tagged TenantID=acme"), refusal.getMessage());
        }
        assertEquals(1, account.controlPlane().count("ListInferenceProfiles"));
    }

    @Test
    void anOutageLeavesKnownMappingsWorkingAndRefusesUnknownOnesClearly() {
        String acme = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
        ProfileCatalog catalog = account.catalog(false, Duration.ofSeconds(30));
        catalog.refresh().join();
        account.controlPlane().outage(true);
        account.controlPlane().clearCalls();

        ProfileResolver resolver = rejecting(catalog);
        for (int i = 0; i < 5; i++) {
            assertEquals(acme, resolve(resolver, HAIKU).forwardedModelId());
        }
        assertEquals(0, account.controlPlane().calls().size(), "known mappings need no control-plane call");

        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> resolve(resolver, SONNET));
        assertEquals(ProxyRefusal.Kind.ACCESS_DENIED, refusal.kind());
        assertTrue(refusal.getMessage().contains("could not be looked up in the Bedrock control plane"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains("ServiceUnavailableException"), refusal.getMessage());

        catalog.refresh().join(); // a failed refresh keeps what is known
        assertEquals(acme, resolve(resolver, HAIKU).forwardedModelId());
        assertTrue(catalog.refreshState().lastError().orElseThrow().contains("ServiceUnavailableException"));
    }

    @Test
    void throttlingIsRetriedWithBackoff() {
        String acme = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
        account.controlPlane().throttleNext(2);
        assertEquals(acme, resolve(rejecting(account.catalog(false, Duration.ofSeconds(30))), HAIKU).forwardedModelId());
        assertEquals(3, account.controlPlane().count("ListInferenceProfiles"));
    }
}
