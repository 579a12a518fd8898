package dev.bedrocktenant.tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.vertx.core.MultiMap;

/**
 * The {@code X-Bedrock-Tag-<Key>: <Value>} headers of a request. Keys compare case-insensitively
 * (HTTP/2 lower-cases header names), values exactly.
 *
 * @param tags lower-case key → every value sent for it
 */
record TagHeaders(Map<String, List<String>> tags) {

    static TagHeaders of(MultiMap headers, String prefix) {
        Map<String, List<String>> tags = new TreeMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            if (name.length() > prefix.length() && name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                tags.computeIfAbsent(name.substring(prefix.length()).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(header.getValue());
            }
        }
        return new TagHeaders(tags);
    }

    boolean isEmpty() {
        return tags.isEmpty();
    }

    /** The tenant has every tag sent, with that value. */
    boolean match(Tenant tenant) {
        for (Map.Entry<String, List<String>> sent : tags.entrySet()) {
            String value = valueOf(tenant, sent.getKey());
            if (value == null || !sent.getValue().stream().allMatch(value::equals)) {
                return false;
            }
        }
        return true;
    }

    private static String valueOf(Tenant tenant, String lowerCaseKey) {
        for (Map.Entry<String, String> tag : tenant.tags().entrySet()) {
            if (tag.getKey().equalsIgnoreCase(lowerCaseKey)) {
                return tag.getValue();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return tags.toString();
    }
}
