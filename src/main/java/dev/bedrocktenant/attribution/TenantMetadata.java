package dev.bedrocktenant.attribution;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.bedrocktenant.tenant.Tenant;

/**
 * What the proxy stamps into a tenant's requests: the tenant tag ({@code proxy.profiles.tag-key}, the key its
 * profiles and cost-allocation tags use, valued as its own tag of that key, else its id), then its other tags
 * by key.
 * A tag Bedrock would not accept as metadata is left out rather than failing every request of the tenant.
 */
final class TenantMetadata {

    private TenantMetadata() {
    }

    static Map<String, String> of(Tenant tenant, String tagKey) {
        Map<String, String> stamp = new LinkedHashMap<>();
        put(stamp, tagKey, tenant.tags().getOrDefault(tagKey, tenant.id()));
        // sorted, so that a tenant's requests carry the same bytes whatever order the tags map iterates in
        new TreeMap<>(tenant.tags()).forEach((key, value) -> {
            if (!key.equals(tagKey)) {
                put(stamp, key, value);
            }
        });
        return stamp;
    }

    private static void put(Map<String, String> stamp, String key, String value) {
        if (MetadataLimits.fitsKey(key) && MetadataLimits.fitsValue(value) && stamp.size() < MetadataLimits.MAX_ENTRIES) {
            stamp.put(key, value);
        }
    }

    /** Keys compare case-insensitively: an application's {@code tenantid} must not sit beside the real TenantID. */
    static String folded(String key) {
        return key.toLowerCase(Locale.ROOT);
    }
}
