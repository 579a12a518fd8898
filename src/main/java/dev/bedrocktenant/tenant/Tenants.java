package dev.bedrocktenant.tenant;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the tenants file, indexed the ways a request can name its tenant. A request
 * reads one snapshot throughout, so a reload never shows it half of two files.
 */
public final class Tenants {

    public static final Tenants EMPTY = new Tenants(List.of(), Map.of(), Map.of(), Map.of(), Map.of());

    /** An access key id and the tenant it belongs to. */
    public record KeyOwner(Tenant tenant, Tenant.AccessKey key) {
    }

    private final List<Tenant> all;
    private final Map<String, Tenant> byId;
    private final Map<String, KeyOwner> byAccessKeyId;
    private final Map<String, Tenant> byApiKeySha256;
    /** Lower-case tag key → value → the tenants having that tag: tag headers find their tenant without a scan. */
    private final Map<String, Map<String, List<Tenant>>> byTag;

    private Tenants(List<Tenant> all, Map<String, Tenant> byId, Map<String, KeyOwner> byAccessKeyId,
                    Map<String, Tenant> byApiKeySha256, Map<String, Map<String, List<Tenant>>> byTag) {
        this.all = all;
        this.byId = byId;
        this.byAccessKeyId = byAccessKeyId;
        this.byApiKeySha256 = byApiKeySha256;
        this.byTag = byTag;
    }

    /**
     * @throws InvalidTenantsFile when two tenants share an id, an access key or an API key: either would
     *                            let one tenant's calls be accounted to another
     */
    public static Tenants of(Collection<Tenant> tenants) {
        Map<String, Tenant> byId = new LinkedHashMap<>();
        Map<String, KeyOwner> byKey = new LinkedHashMap<>();
        Map<String, Tenant> byApiKey = new LinkedHashMap<>();
        Map<String, Map<String, List<Tenant>>> byTag = new HashMap<>();
        for (Tenant tenant : tenants) {
            if (byId.putIfAbsent(tenant.id(), tenant) != null) {
                throw new InvalidTenantsFile("tenant " + tenant.id() + " is defined twice");
            }
            for (Tenant.AccessKey key : tenant.accessKeys()) {
                KeyOwner previous = byKey.putIfAbsent(key.id(), new KeyOwner(tenant, key));
                if (previous != null) {
                    throw new InvalidTenantsFile("access key " + key.id() + " is listed by tenant "
                            + previous.tenant().id() + " and by tenant " + tenant.id() + " (accessKeys)");
                }
            }
            for (String hash : tenant.apiKeySha256()) {
                Tenant previous = byApiKey.putIfAbsent(hash, tenant);
                if (previous != null) {
                    throw new InvalidTenantsFile("API key sha256 " + hash.substring(0, 8) + "… is listed by tenant "
                            + previous.id() + " and by tenant " + tenant.id() + " (apiKeys)");
                }
            }
            tenant.tags().forEach((key, value) -> byTag.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new HashMap<>())
                    .computeIfAbsent(value, v -> new ArrayList<>()).add(tenant));
        }
        Map<String, Map<String, List<Tenant>>> tagIndex = new HashMap<>();
        byTag.forEach((key, values) -> {
            Map<String, List<Tenant>> byValue = new HashMap<>();
            values.forEach((value, having) -> byValue.put(value, List.copyOf(having)));
            tagIndex.put(key, Map.copyOf(byValue));
        });
        return new Tenants(List.copyOf(byId.values()), Map.copyOf(byId), Map.copyOf(byKey), Map.copyOf(byApiKey),
                Map.copyOf(tagIndex));
    }

    public Optional<Tenant> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<KeyOwner> byAccessKeyId(String accessKeyId) {
        return Optional.ofNullable(byAccessKeyId.get(accessKeyId));
    }

    /** @param sha256Hex lower-case hex SHA-256 of the key the caller sent as {@code Authorization: Bearer} */
    public Optional<Tenant> byApiKeySha256(String sha256Hex) {
        return Optional.ofNullable(byApiKeySha256.get(sha256Hex));
    }

    /** The tenants having the tag {@code key: value} (key compared case-insensitively, value exactly). */
    public List<Tenant> withTag(String key, String value) {
        Map<String, List<Tenant>> byValue = byTag.get(key.toLowerCase(Locale.ROOT));
        return byValue == null ? List.of() : byValue.getOrDefault(value, List.of());
    }

    /** In the file's order. */
    public List<Tenant> all() {
        return all;
    }

    public int size() {
        return byId.size();
    }
}
