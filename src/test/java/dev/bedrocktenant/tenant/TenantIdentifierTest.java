package dev.bedrocktenant.tenant;

import static dev.bedrocktenant.tenant.TestTenants.ACME_API_KEY;
import static dev.bedrocktenant.tenant.TestTenants.ACME_SECRET;
import static dev.bedrocktenant.tenant.TestTenants.request;
import static dev.bedrocktenant.tenant.TestTenants.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.bedrocktenant.signing.SignatureVerifier;
import dev.bedrocktenant.tenant.Identity.IdentifiedBy;
import dev.bedrocktenant.wire.InboundRequest;
import dev.bedrocktenant.wire.ProxyRefusal;
import org.junit.jupiter.api.Test;

class TenantIdentifierTest {

    private final TenantDirectory directory = TenantDirectory.of(TestTenants.tenants());
    private final TenantIdentifier identifier = new TenantIdentifier(directory, TestTenants.config("reject"));

    private void assertIdentified(String tenant, IdentifiedBy by, InboundRequest request) {
        Identity identity = identifier.identify(request);
        assertEquals(tenant, identity.tenant().id());
        assertEquals(by, identity.by());
    }

    private String refusal(InboundRequest request) {
        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> identifier.identify(request));
        assertEquals(ProxyRefusal.Kind.ACCESS_DENIED, refusal.kind());
        return refusal.getMessage();
    }

    @Test
    void tenantHeader() {
        assertIdentified("globex", IdentifiedBy.TENANT_HEADER, request("x-tenant-id", "globex"));
    }

    @Test
    void anUnknownTenantInTheHeaderIsRefusedEvenWhenAKeyWouldMatch() {
        String message = refusal(request("X-Tenant-Id", "initech", "Authorization", apiKey()));
        assertTrue(message.contains("initech") && message.contains("X-Tenant-Id"), message);
    }

    @Test
    void tagHeadersMatchTheOneTenantHavingAllOfThem() {
        assertIdentified("acme", IdentifiedBy.TAG_HEADERS, request("X-Bedrock-Tag-TenantID", "acme"));
        assertIdentified("globex", IdentifiedBy.TAG_HEADERS,
                request("X-Bedrock-Tag-TenantID", "globex", "X-Bedrock-Tag-CostCenter", "marketing"));
    }

    @Test
    void tagKeysAreCaseInsensitiveButValuesAreNot() {
        assertIdentified("acme", IdentifiedBy.TAG_HEADERS, request("x-bedrock-tag-tenantid", "acme"));
        String message = refusal(request("x-bedrock-tag-tenantid", "ACME"));
        assertTrue(message.contains("match no tenant"), message);
    }

    @Test
    void tagsMatchingSeveralTenantsAreAmbiguous() {
        String message = refusal(request("X-Bedrock-Tag-CostCenter", "marketing"));
        assertTrue(message.contains("ambiguous") && message.contains("acme") && message.contains("globex"), message);
    }

    @Test
    void tagsAreLookedUpByTheirRarestTagAndCheckedAgainstAllOfThem() {
        StringBuilder yaml = new StringBuilder("tenants:\n");
        for (int t = 0; t < 500; t++) {
            yaml.append("  t").append(t).append(": { tags: { Env: prod, Team: team").append(t % 5)
                    .append(", TenantID: t").append(t).append(" } }\n");
        }
        TenantIdentifier many = new TenantIdentifier(TenantDirectory.of(TestTenants.file().parse(yaml.toString())),
                TestTenants.config("reject"));

        Identity identity = many.identify(request("X-Bedrock-Tag-Env", "prod", "X-Bedrock-Tag-Team", "team2",
                "X-Bedrock-Tag-TenantID", "t42"));
        assertEquals("t42", identity.tenant().id());
        ProxyRefusal wrongTeam = assertThrows(ProxyRefusal.class, () -> many.identify(request(
                "X-Bedrock-Tag-Team", "team3", "X-Bedrock-Tag-TenantID", "t42")));
        assertTrue(wrongTeam.getMessage().contains("match no tenant"), wrongTeam.getMessage());
        // a tag all 500 share: refused as ambiguous, naming ten of them rather than all 500
        ProxyRefusal everyone = assertThrows(ProxyRefusal.class, () -> many.identify(request("X-Bedrock-Tag-Env", "prod")));
        assertTrue(everyone.getMessage().contains("[t0, t1, t10, t100, t101, t102, t103, t104, t105, t106, … 490 more]"),
                everyone.getMessage());
    }

    @Test
    void tagsMatchingNoTenantFallThroughToTheAccessKey() {
        assertIdentified("globex", IdentifiedBy.ACCESS_KEY,
                request("X-Bedrock-Tag-TenantID", "nobody", "Authorization", sigV4("AKIAGLOBEXEXAMPLE001")));
    }

    @Test
    void accessKeyWithoutSecretIdentifiesWithoutChecking() {
        assertIdentified("acme", IdentifiedBy.ACCESS_KEY, request("Authorization", sigV4("AKIAACMEEXAMPLE00001")));
    }

    @Test
    void headersComeBeforeAnUnverifiedAccessKey() {
        InboundRequest request = request("X-Tenant-Id", "globex", "Authorization", sigV4("AKIAACMEEXAMPLE00001"));
        assertIdentified("globex", IdentifiedBy.TENANT_HEADER, request);
        assertIdentified("globex", IdentifiedBy.TAG_HEADERS,
                request("X-Bedrock-Tag-TenantID", "globex", "Authorization", sigV4("AKIAACMEEXAMPLE00001")));
        assertIdentified("acme", IdentifiedBy.TENANT_HEADER,
                request("X-Tenant-Id", "acme", "X-Bedrock-Tag-TenantID", "globex"));
    }

    @Test
    void aVerifiedSignatureIdentifies() {
        assertIdentified("acme", IdentifiedBy.VERIFIED_SIGNATURE, signed("AKIAACMEEXAMPLE00002", ACME_SECRET));
    }

    @Test
    void aTamperedOrWronglySignedRequestIsRefused() {
        InboundRequest tampered = TestTenants.withBody(signed("AKIAACMEEXAMPLE00002", ACME_SECRET), "{\"messages\":[]}");
        String message = refusal(tampered);
        assertTrue(message.contains("AKIAACMEEXAMPLE00002") && message.contains("signature"), message);

        refusal(signed("AKIAACMEEXAMPLE00002", "not-the-secret"));
        // a bad signature is refused even when a header names a tenant
        refusal(signed("AKIAACMEEXAMPLE00002", "not-the-secret", "X-Tenant-Id", "acme"));
    }

    @Test
    void aSignatureMoreThan15MinutesFromTheProxysClockIsRefused() {
        InboundRequest signedNow = signed("AKIAACMEEXAMPLE00002", ACME_SECRET);
        for (Duration off : List.of(Duration.ofMinutes(16), Duration.ofMinutes(-16))) {
            TenantIdentifier later = new TenantIdentifier(directory, TestTenants.config("reject"),
                    new SignatureVerifier(Clock.offset(Clock.systemUTC(), off)));
            ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> later.identify(signedNow));
            assertTrue(refusal.getMessage().contains("more than 15 minutes"), refusal.getMessage());
        }
        TenantIdentifier skewed = new TenantIdentifier(directory, TestTenants.config("reject"),
                new SignatureVerifier(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(14))));
        assertEquals("acme", skewed.identify(signedNow).tenant().id());
    }

    @Test
    void aVerifiedSignatureIsAuthoritativeOverHeaders() {
        String message = refusal(signed("AKIAACMEEXAMPLE00002", ACME_SECRET, "X-Tenant-Id", "globex"));
        assertTrue(message.contains("acme") && message.contains("globex"), message);
        refusal(signed("AKIAACMEEXAMPLE00002", ACME_SECRET, "X-Bedrock-Tag-TenantID", "globex"));
        // headers agreeing with the signature are fine
        assertIdentified("acme", IdentifiedBy.VERIFIED_SIGNATURE, signed("AKIAACMEEXAMPLE00002", ACME_SECRET, "X-Tenant-Id", "acme"));
        // tags shared by several tenants are settled by the signature
        assertIdentified("acme", IdentifiedBy.VERIFIED_SIGNATURE,
                signed("AKIAACMEEXAMPLE00002", ACME_SECRET, "X-Bedrock-Tag-CostCenter", "marketing"));
    }

    @Test
    void bearerApiKeysMapThroughTheirHash() {
        assertIdentified("acme", IdentifiedBy.API_KEY, request("Authorization", apiKey()));
        assertTrue(refusal(request("Authorization", "Bearer some-other-key")).contains("no tenant identified"));
        refusal(request("Authorization", apiKey(), "X-Tenant-Id", "globex"));
    }

    @Test
    void noMatchUnderRejectExplainsHowToIdentify() {
        String message = refusal(request("Authorization", sigV4("AKIAUNKNOWNEXAMPLE01")));
        assertTrue(message.contains("X-Tenant-Id") && message.contains("X-Bedrock-Tag-"), message);
        assertTrue(message.contains("AKIAUNKNOWNEXAMPLE01 is not in the tenants file"), message);
    }

    @Test
    void noMatchUnderDefaultGoesToTheDefaultTenant() {
        TenantIdentifier withDefault = new TenantIdentifier(directory, TestTenants.config("default:globex"));
        Identity identity = withDefault.identify(request());
        assertEquals("globex", identity.tenant().id());
        assertEquals(IdentifiedBy.DEFAULT_TENANT, identity.by());
        // the default never overrides an explicit choice
        assertEquals("acme", withDefault.identify(request("X-Tenant-Id", "acme")).tenant().id());
    }

    @Test
    void aMisspeltUnknownTenantPolicyIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new TenantIdentifier(directory, TestTenants.config("default")));
        assertThrows(IllegalArgumentException.class, () -> new TenantIdentifier(directory, TestTenants.config("rejected")));
    }

    @Test
    void tenantAndTagHeadersAreTheOnesToStrip() {
        assertTrue(identifier.isTenantHeader("X-Tenant-Id"));
        assertTrue(identifier.isTenantHeader("x-tenant-id"));
        assertTrue(identifier.isTenantHeader("x-bedrock-tag-CostCenter"));
        assertFalse(identifier.isTenantHeader("Authorization"));
        assertFalse(identifier.isTenantHeader("X-Tenant-Identity"));
        assertFalse(identifier.isTenantHeader("X-Amz-Date"));
    }

    @Test
    void aRefusalIsAccountedToTheTenantItsHeaderNamesOnlyWhenTheTenantsFileHasIt() {
        assertEquals("globex", identifier.namedByHeader(request("X-Tenant-Id", " globex ").headers())
                .map(Tenant::id).orElseThrow());
        // anything else names nobody: a caller cannot make up tenants for labels and the ledger
        assertTrue(identifier.namedByHeader(request("X-Tenant-Id", "initech").headers()).isEmpty());
        assertTrue(identifier.namedByHeader(request("X-Tenant-Id", "acme\"}").headers()).isEmpty());
        assertTrue(identifier.namedByHeader(request("X-Tenant-Id", "acme", "X-Tenant-Id", "globex").headers()).isEmpty());
        assertTrue(identifier.namedByHeader(request("X-Bedrock-Tag-TenantID", "acme").headers()).isEmpty());
    }

    private static String sigV4(String accessKeyId) {
        return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/20240101/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);
    }

    private static String apiKey() {
        return "Bearer " + ACME_API_KEY;
    }
}
