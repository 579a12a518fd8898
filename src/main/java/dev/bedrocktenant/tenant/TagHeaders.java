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

    /**
     * The tenants having every tag sent: those the index lists for the sent tag fewest tenants have, each then
     * checked against the other tags. A lookup, not a scan of the tenants file, so its cost does not grow with it.
     */
    List<Tenant> matches(Tenants tenants) {
        List<Tenant> fewest = null;
        for (Map.Entry<String, List<String>> sent : tags.entrySet()) {
            List<Tenant> having = tenants.withTag(sent.getKey(), sent.getValue().get(0));
            if (fewest == null || having.size() < fewest.size()) {
                fewest = having;
            }
        }
        if (fewest == null || fewest.isEmpty()) {
            return List.of();
        }
        List<Tenant> matches = new ArrayList<>(1);
        for (Tenant tenant : fewest) {
            if (match(tenant)) {
                matches.add(tenant);
            }
        }
        return matches;
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
