package dev.bedrocktenant.profile;

import static dev.bedrocktenant.profile.SimulatedAccount.HAIKU;
import static dev.bedrocktenant.profile.SimulatedAccount.SONNET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.bedrocktenant.profile.ModelTarget.Source;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantsFile;
import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.ProxyRefusal;
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
    void aSingleRegionProfileServesWiderRoutingsThatHoldItsRegionButNoOther() {
        String acme = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme")); // us-east-1 only
        ProfileResolver resolver = rejecting(account.catalog(false, Duration.ofSeconds(30)));
        assertEquals(acme, resolve(resolver, "us." + HAIKU).forwardedModelId());
        assertEquals(acme, resolve(resolver, "global." + HAIKU).forwardedModelId());
        assertEquals(acme, resolve(resolver, "arn:aws:bedrock:us-east-1::foundation-model/" + HAIKU).forwardedModelId());
        assertEquals(1, account.controlPlane().count("ListInferenceProfiles"), "the other forms are served from memory");

        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> resolve(resolver, "eu." + HAIKU));
        assertTrue(refusal.getMessage().contains("routing eu"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains(acme + " (us-east-1: us-east-1)"), refusal.getMessage());
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
        assertEquals(Set.of("us-east-1"), catalog.listed(untagged).orElseThrow().regions());
    }

    @Test
    void passthroughNeverForwardsAProfileTaggedForAnotherTenant() {
        String globex = account.seed("globex-sonnet", SONNET, Map.of("TenantID", "globex"));
        ProfileCatalog catalog = account.catalog(false, Duration.ofSeconds(30));
        catalog.refresh().join();
        ProfileResolver passingThrough = new ProfileResolver(() -> ProfileConfig.UnmappedModel.PASSTHROUGH, catalog);

        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> passingThrough
                .resolve(ACME, BedrockOperation.CONVERSE, globex).await().atMost(Duration.ofSeconds(30)));
        assertEquals(ProxyRefusal.Kind.ACCESS_DENIED, refusal.kind());
        assertTrue(refusal.getMessage().contains("tagged TenantID=globex, another tenant's"), refusal.getMessage());
    }

    @Test
    void aRefreshPicksUpANewProfileAndDropsADeletedOne() {
        ProfileCatalog catalog = account.catalog(false, Duration.ofSeconds(30));
        catalog.refresh().join();
        ProfileKey key = new ProfileKey("acme", SONNET);
        assertTrue(catalog.knownFor(key).isEmpty());

        String arn = account.seed("acme-sonnet", SONNET, Map.of("TenantID", "acme"));
        catalog.refresh().join();
        assertEquals(arn, catalog.knownFor(key).get(0).profile().arn());
        assertEquals(Source.DISCOVERY, catalog.knownFor(key).get(0).source());
        assertTrue(catalog.refreshState().lastSuccess().isPresent());

        account.profiles().delete(arn);
        catalog.refresh().join();
        assertTrue(catalog.knownFor(key).isEmpty());
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

    @Test
    void eachRoutingReachesTheTenantsProfileCopyingIt() {
        String us = account.seedCopyOf("acme-haiku-us", "us." + HAIKU, Map.of("TenantID", "acme"));
        String eu = account.seedCopyOf("acme-haiku-eu", "eu." + HAIKU, Map.of("TenantID", "acme"));
        String bare = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
        ProfileResolver resolver = rejecting(account.catalog(false, Duration.ofSeconds(30)));

        assertEquals(new ModelTarget("us." + HAIKU, us, Optional.of(us), Source.DISCOVERY), resolve(resolver, "us." + HAIKU));
        assertEquals(new ModelTarget("eu." + HAIKU, eu, Optional.of(eu), Source.DISCOVERY), resolve(resolver, "eu." + HAIKU));
        assertEquals(new ModelTarget(HAIKU, bare, Optional.of(bare), Source.DISCOVERY), resolve(resolver, HAIKU));
        // global may go anywhere: no global copy, so the one routing to the most Regions (first by ARN of us and eu)
        ModelTarget global = resolve(resolver, "global." + HAIKU);
        String widest = us.compareTo(eu) < 0 ? us : eu;
        assertEquals(widest, global.forwardedModelId());
        assertEquals((widest.equals(us) ? "us." : "eu.") + HAIKU, global.pricedModelId(), "priced as the routing used");
    }

    @Test
    void aRequestWhoseOnlyProfileRoutesWiderIsRefusedNamingBoth() {
        String usSonnet = account.seedCopyOf("acme-sonnet-us", "us." + SONNET, Map.of("TenantID", "acme"));
        ProfileResolver resolver = rejecting(account.catalog(false, Duration.ofSeconds(30)));

        for (String model : new String[] {"eu." + SONNET, SONNET}) {
            ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> resolve(resolver, model));
            assertEquals(ProxyRefusal.Kind.ACCESS_DENIED, refusal.kind());
            assertTrue(refusal.getMessage().contains("routing " + (model.startsWith("eu.") ? "eu" : "us-east-1")),
                    refusal.getMessage());
            assertTrue(refusal.getMessage().contains(usSonnet + " (us: us-east-1, us-east-2, us-west-2)"), refusal.getMessage());
        }
        assertEquals(usSonnet, resolve(resolver, "us." + SONNET).forwardedModelId());
    }

    @Test
    void aTenantsFileBaseModelKeyIsNotUsedOutsideItsProfilesRegions() {
        String usHaiku = account.seedCopyOf("shared-haiku-us", "us." + HAIKU, Map.of());
        String euHaiku = account.seedCopyOf("acme-haiku-eu", "eu." + HAIKU, Map.of("TenantID", "acme"));
        Tenant acme = new TenantsFile(name -> Optional.empty()).parse("""
                tenants:
                  acme:
                    tags: { TenantID: acme }
                    profiles: { "%s": "%s" }
                """.formatted(HAIKU, usHaiku)).byId("acme").orElseThrow();
        ProfileCatalog catalog = account.catalog(false, Duration.ofSeconds(30));
        ProfileResolver resolver = rejecting(catalog);

        // before the account is listed, the request waits for the listing rather than trust the mapping
        ModelTarget eu = resolver.resolve(acme, BedrockOperation.CONVERSE, "eu." + HAIKU).await().atMost(Duration.ofSeconds(30));
        assertEquals(euHaiku, eu.forwardedModelId(), "the EU request goes to the tenant's EU profile");
        ModelTarget us = resolver.resolve(acme, BedrockOperation.CONVERSE, "us." + HAIKU).await().atMost(Duration.ofSeconds(30));
        assertEquals(new ModelTarget("us." + HAIKU, usHaiku, Optional.of(usHaiku), Source.TENANTS_FILE, "us." + HAIKU), us);
        ProxyRefusal bare = assertThrows(ProxyRefusal.class,
                () -> resolver.resolve(acme, BedrockOperation.CONVERSE, HAIKU).await().atMost(Duration.ofSeconds(30)));
        assertTrue(bare.getMessage().contains(usHaiku + " (us: "), bare.getMessage());

        List<String> warnings = TenantsFileRoutingCheck.refusedMappings(List.of(acme), catalog);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("maps " + HAIKU + " to " + usHaiku)
                && warnings.get(0).contains("only within us-east-1"), warnings.get(0));
    }

    @Test
    void aSlowControlPlaneHoldsAMissNoLongerThanTheLookupTimeoutInAll() {
        account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
        account.controlPlane().delay(Duration.ofMillis(400)); // list, then tags: each well within, together not
        ProfileCatalog catalog = new ProfileCatalog(new ProfileDiscovery(account.bedrock), Optional.empty(),
                new ProfileCatalog.Settings("TenantID", "us-east-1", Duration.ofSeconds(30), Duration.ofMillis(600)),
                java.time.Clock.systemUTC());

        long start = System.nanoTime();
        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> resolve(rejecting(catalog), HAIKU));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(refusal.getMessage().contains("did not answer within 600 ms"), refusal.getMessage());
        assertTrue(waitedMillis >= 600 && waitedMillis < 790, "refused after " + waitedMillis + " ms, not at the deadline");
    }
}
