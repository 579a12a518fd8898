package dev.bedrocktenant.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TenantsFileTest {

    private static String rejected(String yaml) {
        return assertThrows(InvalidTenantsFile.class, () -> TestTenants.file().parse(yaml)).getMessage();
    }

    @Test
    void readsEveryFieldOfTheContractExample() {
        Tenants tenants = TestTenants.tenants();
        Tenant acme = tenants.byId("acme").orElseThrow();

        assertEquals(2, tenants.size());
        assertEquals(Map.of("TenantID", "acme", "CostCenter", "marketing"), acme.tags());
        assertEquals("AKIAACMEEXAMPLE00001", acme.accessKeys().get(0).id());
        assertTrue(acme.accessKeys().get(0).secretAccessKey().isEmpty());
        assertEquals(Optional.of(TestTenants.ACME_SECRET), acme.accessKeys().get(1).secretAccessKey());
        assertEquals(Set.of(TenantKeys.sha256Hex(TestTenants.ACME_API_KEY)), acme.apiKeySha256());
        assertEquals("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01",
                acme.profiles().get("anthropic.claude-3-haiku-20240307-v1:0"));
        assertEquals(Optional.of(Set.of("anthropic.claude-3-haiku-20240307-v1:0")), acme.allowedModels());
        assertEquals(Optional.of(600L), acme.limits().orElseThrow().requestsPerMinute());
        assertEquals(Optional.of(200000L), acme.limits().orElseThrow().tokensPerMinute());
        assertTrue(acme.enforce());
        assertFalse(tenants.byId("globex").orElseThrow().enforce());
        assertTrue(tenants.byId("globex").orElseThrow().limits().isEmpty());
        assertEquals("acme", tenants.byAccessKeyId("AKIAACMEEXAMPLE00002").orElseThrow().tenant().id());
        assertEquals("acme", tenants.byApiKeySha256(TenantKeys.sha256Hex(TestTenants.ACME_API_KEY)).orElseThrow().id());
    }

    @Test
    void budgetsAreExactDecimalsAsWritten() {
        Tenant.Budget budget = TestTenants.tenants().byId("acme").orElseThrow().budget().orElseThrow();
        // equals() on BigDecimal compares scale too: 10.10, not 10.1 or 10.0999999
        assertEquals(new BigDecimal("10.10"), budget.dailyUsd().orElseThrow());
        assertEquals(new BigDecimal("200.00"), budget.monthlyUsd().orElseThrow());

        Tenant t = TestTenants.file().parse("tenants: { a: { budget: { dailyUsd: 0.1, monthlyUsd: \"12345678901234567.89\" } } }")
                .byId("a").orElseThrow();
        assertEquals(new BigDecimal("0.1"), t.budget().orElseThrow().dailyUsd().orElseThrow());
        assertEquals(new BigDecimal("12345678901234567.89"), t.budget().orElseThrow().monthlyUsd().orElseThrow());
    }

    @Test
    void aRoleIsReadWithItsExternalIdAndSessionTagsAndNeverPrintsTheExternalId() {
        Tenant t = TestTenants.file().parse("""
                tenants:
                  silo:
                    role: { arn: "arn:aws:iam::222233334444:role/silo-bedrock", externalId: s3cr3t-ext, sessionTags: { Project: atlas } }
                  plain: {}
                """).byId("silo").orElseThrow();
        Tenant.Role role = t.role().orElseThrow();
        assertEquals("arn:aws:iam::222233334444:role/silo-bedrock", role.arn());
        assertEquals(Optional.of("s3cr3t-ext"), role.externalId());
        assertEquals(Map.of("Project", "atlas"), role.sessionTags());
        assertTrue(!t.toString().contains("s3cr3t-ext"), t.toString());
        assertTrue(TestTenants.file().parse("tenants: { plain: {} }").byId("plain").orElseThrow().role().isEmpty());
    }

    @Test
    void aRoleWithoutAnIamRoleArnIsRefusedNamingTheTenant() {
        String message = rejected("tenants: { silo: { role: { arn: \"arn:aws:iam::222233334444:user/bob\" } } }");
        assertTrue(message.contains("silo") && message.contains("not an IAM role ARN"), message);
        assertTrue(rejected("tenants: { silo: { role: { externalId: x } } }").contains("has no 'arn'"));
        assertTrue(rejected("tenants: { silo: { role: { arn: \"arn:aws:iam::222233334444:role/r\", duration: 5 } } }")
                .contains("unknown key 'duration'"));
    }

    @Test
    void aFileOfTenThousandTenantsLoadsThoughItIsOverSnakeYamlsDefaultCap() {
        StringBuilder yaml = new StringBuilder("tenants:\n");
        for (int t = 0; t < 10_000; t++) {
            yaml.append("  tenant-").append(t).append(":\n    tags: { TenantID: tenant-").append(t)
                    .append(", CostCenter: cc").append(t % 50).append(", Team: team").append(t % 200).append(" }\n")
                    .append("    accessKeys: [ AKIAKEYA").append(t).append(", AKIAKEYB").append(t).append(" ]\n")
                    .append("    profiles:\n");
            for (int m = 0; m < 3; m++) {
                yaml.append("      \"model-").append(m).append("\": \"arn:aws:bedrock:us-east-1:111122223333:")
                        .append("application-inference-profile/p").append(t).append('x').append(m).append("\"\n");
            }
        }
        assertTrue(yaml.length() > 3 * 1024 * 1024, "SnakeYAML refuses documents over 3 Mi code points by default");

        Tenants tenants = TestTenants.file().parse(yaml.toString());

        assertEquals(10_000, tenants.size());
        assertEquals("tenant-9999", tenants.byAccessKeyId("AKIAKEYB9999").orElseThrow().tenant().id());
        assertEquals(List.of("tenant-123"), tenants.withTag("tenantid", "tenant-123").stream().map(Tenant::id).toList());
        assertEquals(50, tenants.withTag("Team", "team7").size());
        assertEquals("tenant-0", tenants.all().get(0).id());
    }

    @Test
    void jsonIsAcceptedToo() {
        Tenants tenants = TestTenants.file().parse("{\"tenants\": {\"acme\": {\"accessKeys\": [\"AKIAACMEEXAMPLE00001\"],"
                + " \"budget\": {\"dailyUsd\": 5.50}}}}");
        assertEquals(new BigDecimal("5.50"), tenants.byId("acme").orElseThrow().budget().orElseThrow().dailyUsd().orElseThrow());
    }

    @Test
    void anEmptyTenantsMappingIsNoTenantsButAnEmptyFileIsRefused() {
        assertEquals(0, TestTenants.file().parse("tenants: {}").size());
        assertTrue(rejected("").contains("empty"));
    }

    @Test
    void anAccessKeyListedByTwoTenantsRejectsTheFile() {
        String message = rejected("""
                tenants:
                  acme: { accessKeys: [ AKIASHAREDEXAMPLE001 ] }
                  globex: { accessKeys: [ AKIASHAREDEXAMPLE001 ] }
                """);
        assertTrue(message.contains("AKIASHAREDEXAMPLE001") && message.contains("acme") && message.contains("globex"), message);
    }

    @Test
    void anApiKeyListedByTwoTenantsRejectsTheFile() {
        String hash = "a".repeat(64);
        String message = rejected("tenants: { acme: { apiKeys: [ {sha256: " + hash + "} ] }, globex: { apiKeys: [ {sha256: "
                + hash.toUpperCase() + "} ] } }");
        assertTrue(message.contains("acme") && message.contains("globex"), message);
    }

    @Test
    void aProfileThatIsNotAnArnIsRefusedNamingTenantAndModel() {
        String message = rejected("tenants: { acme: { profiles: { \"anthropic.claude-3-haiku-20240307-v1:0\": acme-haiku } } }");
        assertTrue(message.contains("tenant acme.profiles.anthropic.claude-3-haiku-20240307-v1:0"), message);
        assertTrue(message.contains("not a Bedrock ARN"), message);
    }

    @Test
    void unknownKeysAreRefusedWhereTheyAre() {
        assertTrue(rejected("tenants: { acme: { limit: { requestsPerMinute: 1 } } }").contains("tenant acme: unknown key 'limit'"));
        assertTrue(rejected("tenants: { acme: { limits: { requestPerMinute: 1 } } }")
                .contains("tenant acme.limits: unknown key 'requestPerMinute'"));
        assertTrue(rejected("tenant: {}").contains("unknown key 'tenant'"));
        assertTrue(rejected("tenants: { acme: { accessKeys: [ { id: AKIAACMEEXAMPLE00001, secret: x } ] } }")
                .contains("tenant acme.accessKeys[0]: unknown key 'secret'"));
    }

    @Test
    void aSecretEnvThatIsNotSetIsRefusedWithoutLeakingAnything() {
        String message = rejected("tenants: { acme: { accessKeys: [ { id: AKIAACMEEXAMPLE00009, secretEnv: NOT_SET_ANYWHERE } ] } }");
        assertTrue(message.contains("NOT_SET_ANYWHERE") && message.contains("AKIAACMEEXAMPLE00009"), message);
    }

    @Test
    void secretEnvFallsBackToASystemProperty() {
        System.setProperty("TENANTS_FILE_TEST_SECRET", "from-a-property");
        try {
            Tenant t = new TenantsFile().parse("tenants: { a: { accessKeys: [ { id: AKIAPROPEXAMPLE00001, secretEnv: TENANTS_FILE_TEST_SECRET } ] } }")
                    .byId("a").orElseThrow();
            assertEquals(Optional.of("from-a-property"), t.accessKeys().get(0).secretAccessKey());
            assertFalse(t.toString().contains("from-a-property"), "a tenant's toString must not print its secret");
        } finally {
            System.clearProperty("TENANTS_FILE_TEST_SECRET");
        }
    }

    @Test
    void aMisplacedSecretIsNotEchoed() {
        String message = rejected("tenants: { a: { accessKeys: [ \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\" ] } }");
        assertFalse(message.contains("wJalrXUtnFEMI"), message);
        assertTrue(message.contains("tenant a.accessKeys[0]"), message);
    }

    @Test
    void otherMistakesAreRefused() {
        assertTrue(rejected("tenants: { a: { apiKeys: [ my-raw-key ] } }").contains("never the key itself"));
        assertTrue(rejected("tenants: { a: { apiKeys: [ { sha256: abc } ] } }").contains("64 hexadecimal"));
        assertTrue(rejected("tenants: { a: { limits: { requestsPerMinute: -1 } } }").contains("positive whole number"));
        assertTrue(rejected("tenants: { a: { limits: { tokensPerMinute: 1.5 } } }").contains("positive whole number"));
        assertTrue(rejected("tenants: { a: { budget: { dailyUsd: lots } } }").contains("amount in USD"));
        assertTrue(rejected("tenants: { a: { budget: { dailyUsd: -1 } } }").contains("negative"));
        assertTrue(rejected("tenants: { a: { enforce: maybe } }").contains("true or false"));
        assertTrue(rejected("tenants: { a: { tags: { Team: x, team: y } } }").contains("differ only in case"));
        assertTrue(rejected("tenants: { \"bad id\": {} }").contains("tenant 'bad id'"));
        assertTrue(rejected("tenants:\n  a: {}\n  a: {}\n").contains("not valid YAML"));
        assertTrue(rejected("tenants: { a: [ }").contains("not valid YAML"));
        assertTrue(rejected("tenants: { a: { allowedModels: anthropic.x } }").contains("must be a list"));
    }

    @Test
    void aTierIsATemplateThatATenantOverridesFieldByField() {
        Tenants tenants = TestTenants.file().parse("""
                tiers:
                  free:     { limits: { requestsPerMinute: 5, tokensPerMinute: 10000, maxConcurrent: 2 },
                              budget: { dailyUsd: 1.00, monthlyUsd: 10.00 }, enforce: true }
                  partner:  { budget: { monthlyUsd: 500 }, enforce: false }
                tenants:
                  plain:    { tier: free }
                  bigger:   { tier: free, limits: { tokensPerMinute: 50000 }, budget: { dailyUsd: 2.50 } }
                  watched:  { tier: partner, limits: { requestsPerMinute: 100 } }
                  strict:   { tier: partner, enforce: true }
                  alone:    { limits: { maxConcurrent: 3 } }
                """);
        Tenant plain = tenants.byId("plain").orElseThrow();
        assertEquals(Optional.of("free"), plain.tier());
        assertEquals(new Tenant.RateLimits(Optional.of(5L), Optional.of(10000L), Optional.of(2L)), plain.limits().orElseThrow());
        assertEquals(new Tenant.Budget(Optional.of(new BigDecimal("1.00")), Optional.of(new BigDecimal("10.00"))),
                plain.budget().orElseThrow());

        Tenant bigger = tenants.byId("bigger").orElseThrow();
        assertEquals(new Tenant.RateLimits(Optional.of(5L), Optional.of(50000L), Optional.of(2L)), bigger.limits().orElseThrow());
        assertEquals(new Tenant.Budget(Optional.of(new BigDecimal("2.50")), Optional.of(new BigDecimal("10.00"))),
                bigger.budget().orElseThrow());
        assertTrue(bigger.enforce());

        Tenant watched = tenants.byId("watched").orElseThrow();
        assertFalse(watched.enforce(), "the tier's enforce: false");
        assertEquals(new Tenant.RateLimits(Optional.of(100L), Optional.empty(), Optional.empty()), watched.limits().orElseThrow());
        assertEquals(Optional.of(new BigDecimal("500")), watched.budget().orElseThrow().monthlyUsd());
        assertTrue(tenants.byId("strict").orElseThrow().enforce(), "the tenant's own enforce wins");

        Tenant alone = tenants.byId("alone").orElseThrow();
        assertEquals(Optional.empty(), alone.tier());
        assertEquals(Optional.of(3L), alone.limits().orElseThrow().maxConcurrent());
        assertTrue(alone.limited());
    }

    @Test
    void aTierMustExistAndHoldOnlyLimitsBudgetAndEnforce() {
        assertTrue(rejected("tenants: { a: { tier: gold } }").contains("no tier 'gold'"));
        assertTrue(rejected("tiers: { free: { limits: { requestsPerMinute: 5 } } }\ntenants: { a: { tier: gold } }")
                .contains("(free)"));
        assertTrue(rejected("tiers: { free: { tags: { a: b } } }\ntenants: {}").contains("tier free"));
        assertTrue(rejected("tiers: { free: { limits: { maxConcurrent: 0 } } }\ntenants: {}").contains("positive whole number"));
    }

    @Test
    void serviceTierPoliciesForceAllowOrPassAndTiersCarryThem() {
        Tenants tenants = TestTenants.file().parse("""
                tiers:
                  batch: { serviceTier: flex }
                  guarded: { serviceTier: { allow: [default, flex] } }
                tenants:
                  plain: {}
                  passing: { serviceTier: pass }
                  fast: { serviceTier: priority }
                  batchy: { tier: batch }
                  careful: { tier: guarded }
                  overriding: { tier: batch, serviceTier: pass }
                """);
        assertEquals(ServiceTierPolicy.PASS, tenants.byId("plain").orElseThrow().serviceTier());
        assertEquals(ServiceTierPolicy.PASS, tenants.byId("passing").orElseThrow().serviceTier());
        assertEquals(ServiceTierPolicy.force("priority"), tenants.byId("fast").orElseThrow().serviceTier());
        assertEquals(ServiceTierPolicy.force("flex"), tenants.byId("batchy").orElseThrow().serviceTier());
        assertEquals(ServiceTierPolicy.allow(Set.of("default", "flex")), tenants.byId("careful").orElseThrow().serviceTier());
        assertEquals(ServiceTierPolicy.PASS, tenants.byId("overriding").orElseThrow().serviceTier());
    }

    @Test
    void aServiceTierPolicyDecidesTheTierSentOrRefuses() {
        ServiceTierPolicy careful = ServiceTierPolicy.allow(Set.of("default", "flex"));
        assertEquals(Optional.of("flex"), careful.tierFor("t", Optional.of("flex")));
        assertEquals(Optional.empty(), careful.tierFor("t", Optional.empty()));
        assertEquals(Optional.of("flex"), ServiceTierPolicy.force("flex").tierFor("t", Optional.of("priority")));
        assertEquals(Optional.of("priority"), ServiceTierPolicy.PASS.tierFor("t", Optional.of("priority")));
        var refused = assertThrows(dev.bedrocktenant.wire.ProxyRefusal.class, () -> careful.tierFor("t", Optional.of("priority")));
        assertEquals(dev.bedrocktenant.wire.ProxyRefusal.Kind.ACCESS_DENIED, refused.kind());
        assertEquals("tenant t may not use service tier 'priority'; its serviceTier allows default, flex", refused.getMessage());
        assertTrue(assertThrows(dev.bedrocktenant.wire.ProxyRefusal.class,
                () -> ServiceTierPolicy.allow(Set.of("flex")).tierFor("t", Optional.empty())).getMessage()
                .contains("'default' (what a request naming no tier gets)"));
    }

    @Test
    void aServiceTierThatIsNotOneOfBedrocksIsRefusedSayingWhich() {
        assertTrue(rejected("tenants: { a: { serviceTier: turbo } }").contains(
                "tenant a.serviceTier: unknown service tier 'turbo' (expected pass, default, priority, flex, reserved"));
        assertTrue(rejected("tenants: { a: { serviceTier: { allow: [flex, Priority] } } }").contains(
                "tenant a.serviceTier.allow[1]: unknown service tier 'Priority'"));
        assertTrue(rejected("tenants: { a: { serviceTier: { allow: [] } } }").contains("allow must list at least one tier"));
        assertTrue(rejected("tenants: { a: { serviceTier: { deny: [priority] } } }").contains("unknown key 'deny'"));
        assertTrue(rejected("tiers: { x: { serviceTier: fast } }\ntenants: {}").contains("tier x.serviceTier: unknown service tier"));
    }
}
