package dev.bedrocktenant.attribution;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.bedrocktenant.wire.ProxyRefusal;

/**
 * The metadata sent upstream: what the application sent, less any key the proxy stamps (compared ignoring case:
 * never trusted, whatever it says), then the proxy's stamp. Refused when the result breaks Bedrock's limits.
 */
final class MetadataMerge {

    private MetadataMerge() {
    }

    /** @throws ProxyRefusal ValidationException naming the limit the merge breaks */
    static Map<String, String> merge(Map<String, String> sent, Map<String, String> stamp) {
        Set<String> stamped = stamp.keySet().stream().map(TenantMetadata::folded).collect(Collectors.toSet());
        Map<String, String> merged = new LinkedHashMap<>();
        sent.forEach((key, value) -> {
            if (!stamped.contains(TenantMetadata.folded(key))) {
                if (!MetadataLimits.fitsKey(key)) {
                    throw ProxyRefusal.validation("requestMetadata key '" + shortened(key) + "' is not 1-"
                            + MetadataLimits.MAX_KEY_CHARS + " of " + MetadataLimits.ALLOWED);
                }
                if (!MetadataLimits.fitsValue(value)) {
                    throw ProxyRefusal.validation("requestMetadata value of key '" + key + "' is not 0-"
                            + MetadataLimits.MAX_VALUE_CHARS + " of " + MetadataLimits.ALLOWED);
                }
                merged.put(key, value);
            }
        });
        merged.putAll(stamp);
        if (merged.size() > MetadataLimits.MAX_ENTRIES) {
            throw ProxyRefusal.validation("requestMetadata would hold " + merged.size() + " entries with the "
                    + stamp.size() + " the proxy adds for the tenant (" + String.join(", ", stamp.keySet())
                    + "); Bedrock accepts at most " + MetadataLimits.MAX_ENTRIES + ", so send at most "
                    + (MetadataLimits.MAX_ENTRIES - stamp.size()) + " of your own");
        }
        return merged;
    }

    private static String shortened(String key) {
        return key.length() <= 64 ? key : key.substring(0, 64) + "…";
    }
}
