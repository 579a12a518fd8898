package dev.bedrocktenant.admin;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.profile.DiscoveredProfile;
import dev.bedrocktenant.profile.ModelTarget;
import dev.bedrocktenant.profile.ProfileCatalog;
import dev.bedrocktenant.profile.ProfileKey;
import dev.bedrocktenant.profile.ProfileRequest;
import dev.bedrocktenant.profile.Routing;
import dev.bedrocktenant.tenant.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The current model → profile mapping of each tenant and where each entry came from: the tenants file,
 * discovery (tagged profiles in the account), or auto-creation. Only what is known in memory: showing
 * it never calls the control plane.
 */
final class ProfileMappings {

    private ProfileMappings() {
    }

    static JsonObject of(List<Tenant> tenants, ProfileCatalog catalog) {
        Map<ProfileKey, List<ProfileCatalog.Entry>> known = catalog.snapshot();
        JsonArray list = new JsonArray();
        tenants.stream().sorted(Comparator.comparing(Tenant::id)).forEach(t -> list.add(tenant(t, catalog, known)));
        ProfileCatalog.RefreshState refresh = catalog.refreshState();
        JsonObject discovery = new JsonObject()
                .put("enabled", catalog.enabled())
                .put("tagKey", catalog.tagKey())
                .put("lastRefresh", refresh.lastSuccess().map(Object::toString).orElse(null))
                .put("lastRefreshError", refresh.lastError().orElse(null))
                .put("taggedProfiles", known.values().stream().mapToInt(List::size).sum());
        return new JsonObject().put("discovery", discovery).put("tenants", list);
    }

    private static JsonObject tenant(Tenant tenant, ProfileCatalog catalog, Map<ProfileKey, List<ProfileCatalog.Entry>> known) {
        String tenantTag = ProfileRequest.tenantTagOf(tenant, catalog.tagKey());
        JsonArray profiles = new JsonArray();
        tenant.profiles().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> profiles.add(entry(e.getKey(), e.getValue(), catalog.listed(e.getValue()), "tenants-file")));
        known.entrySet().stream()
                .filter(e -> e.getKey().tenantTag().equals(tenantTag))
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(ProfileKey::baseModelId)))
                .forEach(e -> e.getValue().forEach(found -> profiles.add(entry(e.getKey().baseModelId(),
                        found.profile().arn(), Optional.of(found.profile()), sourceName(found.source())))));
        return new JsonObject().put("tenant", tenant.id()).put("tenantTag", tenantTag).put("profiles", profiles);
    }

    /** {@code routing} and {@code regions} are null where the account does not list the profile (yet). */
    private static JsonObject entry(String model, String arn, Optional<DiscoveredProfile> listed, String source) {
        JsonObject entry = new JsonObject().put("model", model).put("profileArn", arn);
        listed.map(DiscoveredProfile::name).ifPresent(n -> entry.put("profileName", n));
        entry.put("routing", listed.flatMap(DiscoveredProfile::routing).map(Routing::name).orElse(null));
        entry.put("regions", listed.map(p -> new JsonArray(p.regions().stream().sorted().toList())).orElse(null));
        return entry.put("source", source);
    }

    static String sourceName(ModelTarget.Source source) {
        return switch (source) {
            case TENANTS_FILE -> "tenants-file";
            case DISCOVERY -> "discovery";
            case AUTO_CREATED -> "auto-created";
            default -> source.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
