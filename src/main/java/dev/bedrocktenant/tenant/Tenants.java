package dev.bedrocktenant.tenant;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the tenants file, indexed the ways a request can name its tenant. A request
 * reads one snapshot throughout, so a reload never shows it half of two files.
 */
public final class Tenants {

    public static final Tenants EMPTY = new Tenants(Map.of(), Map.of(), Map.of());

    /** An access key id and the tenant it belongs to. */
    public record KeyOwner(Tenant tenant, Tenant.AccessKey key) {
    }

    private final Map<String, Tenant> byId;
    private final Map<String, KeyOwner> byAccessKeyId;
    private final Map<String, Tenant> byApiKeySha256;

    private Tenants(Map<String, Tenant> byId, Map<String, KeyOwner> byAccessKeyId, Map<String, Tenant> byApiKeySha256) {
        this.byId = byId;
        this.byAccessKeyId = byAccessKeyId;
        this.byApiKeySha256 = byApiKeySha256;
    }

    /**
     * @throws InvalidTenantsFile when two tenants share an id, an access key or an API key: either would
     *                            let one tenant's calls be accounted to another
     */
    public static Tenants of(Collection<Tenant> tenants) {
        Map<String, Tenant> byId = new LinkedHashMap<>();
        Map<String, KeyOwner> byKey = new LinkedHashMap<>();
        Map<String, Tenant> byApiKey = new LinkedHashMap<>();
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
        }
        return new Tenants(Map.copyOf(byId), Map.copyOf(byKey), Map.copyOf(byApiKey));
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

    public List<Tenant> all() {
        return List.copyOf(byId.values());
    }

    public int size() {
        return byId.size();
    }
}
