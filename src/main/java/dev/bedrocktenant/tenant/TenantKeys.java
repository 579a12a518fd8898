package dev.bedrocktenant.tenant;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a tenant's credentials: access key ids (optionally with a signing secret) and API key hashes. */
final class TenantKeys {

    /** What can follow {@code Credential=} in a SigV4 Authorization header. */
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private TenantKeys() {
    }

    /** Each item is an id, or {@code {id, secretEnv}}; the secret itself never sits in the file. */
    static List<Tenant.AccessKey> accessKeys(YamlSection tenant, Function<String, Optional<String>> secrets) {
        List<JsonNode> items = tenant.list("accessKeys");
        List<Tenant.AccessKey> keys = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = tenant.at("accessKeys") + "[" + i + "]";
            JsonNode item = items.get(i);
            if (item.isObject()) {
                YamlSection key = new YamlSection(item, where);
                key.allowOnly(Set.of("id", "secretEnv"));
                String id = accessKeyId(key.get("id").orElse(null), key.at("id"));
                Optional<String> secret = key.get("secretEnv").map(v -> {
                    String env = YamlSection.scalar(v, key.at("secretEnv"));
                    return secrets.apply(env).orElseThrow(() -> new InvalidTenantsFile(key.at("secretEnv")
                            + ": the signing secret for " + id + " is expected in environment variable (or system property) "
                            + env + ", which is not set"));
                });
                keys.add(new Tenant.AccessKey(id, secret));
            } else {
                keys.add(new Tenant.AccessKey(accessKeyId(item, where), Optional.empty()));
            }
        }
        return List.copyOf(keys);
    }

    /** Only hashes: the file must not hold a usable key. */
    static Set<String> apiKeys(YamlSection tenant) {
        List<JsonNode> items = tenant.list("apiKeys");
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = tenant.at("apiKeys") + "[" + i + "]";
            if (!items.get(i).isObject()) {
                throw new InvalidTenantsFile(where + ": must be { sha256: <hex> }, the SHA-256 of the API key, never the key itself");
            }
            YamlSection key = new YamlSection(items.get(i), where);
            key.allowOnly(Set.of("sha256"));
            String hash = YamlSection.scalar(key.get("sha256").orElse(null), key.at("sha256"));
            if (!SHA256_HEX.matcher(hash).matches()) {
                throw new InvalidTenantsFile(key.at("sha256") + ": must be 64 hexadecimal digits");
            }
            String normalised = hash.toLowerCase(Locale.ROOT);
            if (hashes.contains(normalised)) {
                throw new InvalidTenantsFile(where + ": the same API key is listed twice");
            }
            hashes.add(normalised);
        }
        return Set.copyOf(hashes);
    }

    private static String accessKeyId(JsonNode value, String where) {
        String id = YamlSection.scalar(value, where);
        if (!ACCESS_KEY_ID.matcher(id).matches()) {
            // not echoed: a secret pasted in the wrong place must not reach the log
            throw new InvalidTenantsFile(where + ": is not an access key id (letters and digits, such as AKIAIOSFODNN7EXAMPLE)");
        }
        return id;
    }

    static String sha256Hex(String apiKey) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(apiKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
