package dev.bedrocktenant.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.wire.ProxyRefusal;
import org.junit.jupiter.api.Test;

class MetadataMergeTest {

    private static Tenant tenant(String id, Map<String, String> tags) {
        return new Tenant(id, tags, List.of(), Set.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), true);
    }

    @Test
    void theStampIsTheTenantTagThenItsOtherTagsByKey() {
        assertEquals(List.of("TenantID=acme", "Alpha=1", "CostCenter=marketing"), entries(TenantMetadata.of(
                tenant("acme", Map.of("CostCenter", "marketing", "Alpha", "1")), "TenantID")));
        assertEquals(List.of("TenantID=acme-corp"), entries(TenantMetadata.of(tenant("acme", Map.of("TenantID", "acme-corp")),
                "TenantID")), "the tenant's own tag of that key, as its profiles are tagged");
        assertEquals(List.of("Tenant=acme", "Ok=fine"), entries(TenantMetadata.of(
                tenant("acme", Map.of("Ok", "fine", "Café", "x", "Quote", "a\"b")), "Tenant")),
                "tags Bedrock would refuse as metadata are left out");
    }

    @Test
    void theApplicationsValuesUnderStampedKeysAreDroppedWhateverTheirCase() {
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("tenantid", "globex");
        sent.put("TenantID", "globex");
        sent.put("team", "blue");
        assertEquals(List.of("team=blue", "TenantID=acme"), entries(MetadataMerge.merge(sent, Map.of("TenantID", "acme"))));
    }

    @Test
    void refusesWhatBedrockWouldRefuse() {
        Map<String, String> sixteen = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            sixteen.put("k" + i, "v");
        }
        assertEquals(16, MetadataMerge.merge(Map.of("s0", "x", "a", "b"), stampOf(15)).size());
        assertTrue(refused(sixteen, Map.of("TenantID", "acme")).contains("would hold 17 entries"));
        assertTrue(refused(Map.of("bad{key}", "v"), Map.of("TenantID", "acme")).contains("key 'bad{key}' is not 1-256"));
        assertTrue(refused(Map.of("k", "x".repeat(257)), Map.of("TenantID", "acme")).contains("value of key 'k' is not 0-256"));
        assertTrue(refused(Map.of("", "v"), Map.of("TenantID", "acme")).contains("is not 1-256"));
        assertTrue(MetadataHeader.write(stampOf(16)).length() < MetadataLimits.MAX_HEADER_CHARS);
    }

    private static Map<String, String> stampOf(int n) {
        Map<String, String> stamp = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            stamp.put("s" + i, "v".repeat(256));
        }
        return stamp;
    }

    private static String refused(Map<String, String> sent, Map<String, String> stamp) {
        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> MetadataMerge.merge(sent, stamp));
        assertEquals(ProxyRefusal.Kind.VALIDATION, refusal.kind());
        return refusal.getMessage();
    }

    private static List<String> entries(Map<String, String> map) {
        return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
