package dev.bedrocktenant.tenant;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One mapping of the tenants file and where it is ("tenant acme: limits"), so that every complaint
 * names the tenant and field it is about.
 */
final class YamlSection {

    private final JsonNode node;
    private final String where;

    YamlSection(JsonNode node, String where) {
        this.node = node;
        this.where = where;
        if (!node.isObject()) {
            throw fail("must be a mapping");
        }
    }

    String where() {
        return where;
    }

    /** A misspelt key would otherwise silently drop a limit or a profile. */
    void allowOnly(Set<String> keys) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!keys.contains(name)) {
                throw fail("unknown key '" + name + "' (expected one of " + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
    }

    Optional<JsonNode> get(String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    Optional<YamlSection> section(String key) {
        return get(key).map(v -> new YamlSection(v, at(key)));
    }

    String at(String key) {
        return where + "." + key;
    }

    /** Keys in file order, each with its value as a section-relative location. */
    Map<String, JsonNode> entries() {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
        return entries;
    }

    /** A scalar mapping such as tags or profiles; numbers and booleans are taken as written. */
    Map<String, String> stringMap(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        section(key).ifPresent(s -> s.entries().forEach((k, v) -> result.put(k, scalar(v, s.at(k)))));
        return result;
    }

    List<JsonNode> list(String key) {
        Optional<JsonNode> value = get(key);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!value.get().isArray()) {
            throw new InvalidTenantsFile(at(key) + ": must be a list");
        }
        List<JsonNode> items = new ArrayList<>();
        value.get().forEach(items::add);
        return items;
    }

    Optional<Long> positiveLong(String key) {
        return get(key).map(v -> {
            if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() <= 0) {
                throw new InvalidTenantsFile(at(key) + ": must be a positive whole number, not " + v);
            }
            return v.asLong();
        });
    }

    /** Money, exactly as written: a YAML number or a quoted one, never through a double. */
    Optional<BigDecimal> nonNegativeDecimal(String key) {
        return get(key).map(v -> {
            BigDecimal amount;
            try {
                amount = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new InvalidTenantsFile(at(key) + ": must be an amount in USD such as 10.00, not " + v);
            }
            if (amount.signum() < 0) {
                throw new InvalidTenantsFile(at(key) + ": must not be negative");
            }
            return amount;
        });
    }

    Optional<String> string(String key) {
        return get(key).map(v -> scalar(v, at(key)));
    }

    Optional<Boolean> bool(String key) {
        return get(key).map(v -> {
            if (!v.isBoolean()) {
                throw new InvalidTenantsFile(at(key) + ": must be true or false, not " + v);
            }
            return v.booleanValue();
        });
    }

    static String scalar(JsonNode value, String where) {
        if (value == null || !value.isValueNode() || value.isNull() || value.asText().isBlank()) {
            throw new InvalidTenantsFile(where + ": must be a non-empty text value");
        }
        return value.asText();
    }

    InvalidTenantsFile fail(String why) {
        return new InvalidTenantsFile(where + ": " + why);
    }
}
