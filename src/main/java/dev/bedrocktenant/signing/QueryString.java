package dev.bedrocktenant.signing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Splits a raw query string into decoded name/value pairs, in order, for signing (ours) and for checking (the caller's). */
final class QueryString {

    private QueryString() {
    }

    /** @throws IllegalArgumentException on malformed percent-encoding */
    static List<Map.Entry<String, String>> parse(String rawQuery) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return pairs;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(Map.entry(decode(name), decode(value)));
        }
        return pairs;
    }

    private static String decode(String s) {
        // SigV4 query components are percent-encoded; '+' is a literal plus there, not a space.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
