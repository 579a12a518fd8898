package dev.bedrocktenant.profile;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.bedrocktenant.tenant.Tenant;

/**
 * A tenant's need for a profile of one model in one routing: what discovery looks for and auto-creation
 * creates.
 *
 * @param tagKey    the tag that names a profile's tenant (proxy.profiles.tag-key)
 * @param tenantTag the value of the tenant tag: the tenant's own tag of that key, else its id
 * @param tags      the tags a created profile gets: the tenant's tags plus the tenant tag
 * @param requested the model as asked for; a created profile copies it (a system profile stays cross-Region)
 * @param routing   where the request may run: a profile serves it only within these Regions
 */
public record ProfileRequest(String tenantId, String tagKey, String tenantTag, Map<String, String> tags, ModelId requested,
                             String baseModelId, Routing routing) {

    public static ProfileRequest of(Tenant tenant, String tagKey, ModelId requested, String baseModelId, String proxyRegion) {
        String tenantTag = tenantTagOf(tenant, tagKey);
        Map<String, String> tags = new LinkedHashMap<>(tenant.tags());
        tags.put(tagKey, tenantTag);
        return new ProfileRequest(tenant.id(), tagKey, tenantTag, Map.copyOf(tags), requested, baseModelId,
                Routing.requestedBy(requested, proxyRegion));
    }

    public static String tenantTagOf(Tenant tenant, String tagKey) {
        return tenant.tags().getOrDefault(tagKey, tenant.id());
    }

    public ProfileKey key() {
        return new ProfileKey(tenantTag, baseModelId);
    }

    /** The model id that asks for exactly this routing: {@code eu.<model>}, or the bare id in one Region. */
    public String routedModelId() {
        return routing.modelIdFor(baseModelId);
    }
}
