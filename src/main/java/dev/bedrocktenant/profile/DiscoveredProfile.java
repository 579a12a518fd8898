package dev.bedrocktenant.profile;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import software.amazon.awssdk.services.bedrock.model.InferenceProfileModel;

/**
 * An application inference profile of the account, as the control plane lists it.
 *
 * @param baseModelId the foundation model it copies; a copy of a system profile lists one model ARN per
 *                    Region, all of the same base model
 * @param regions     the Regions of its model ARNs: where Bedrock may run a request sent to it
 * @param tags        its tags; empty when they were not fetched
 */
public record DiscoveredProfile(String arn, String id, String name, Optional<String> baseModelId,
                                Set<String> regions, Map<String, String> tags) {

    public DiscoveredProfile {
        regions = Set.copyOf(regions);
        tags = Map.copyOf(tags);
    }

    /** From a ListInferenceProfiles or GetInferenceProfile answer, without tags. */
    public static DiscoveredProfile of(String arn, String id, String name, List<InferenceProfileModel> models) {
        List<String> modelArns = models.stream().map(InferenceProfileModel::modelArn).filter(m -> m != null).toList();
        return new DiscoveredProfile(arn, id, name, baseModelOf(modelArns), regionsOf(modelArns), Map.of());
    }

    static Optional<String> baseModelOf(List<String> modelArns) {
        return modelArns.stream().map(m -> ModelId.parse(m).baseModelId()).flatMap(Optional::stream).findFirst();
    }

    private static Set<String> regionsOf(List<String> modelArns) {
        Set<String> regions = new LinkedHashSet<>();
        modelArns.forEach(m -> Routing.regionOfArn(m).ifPresent(regions::add));
        return regions;
    }

    public DiscoveredProfile withTags(Map<String, String> tags) {
        return new DiscoveredProfile(arn, id, name, baseModelId, regions, tags);
    }

    /** Where it routes requests; empty when the control plane listed no model ARN with a Region. */
    public Optional<Routing> routing() {
        return regions.isEmpty() ? Optional.empty() : Optional.of(Routing.ofRegions(regions));
    }

    /** True when every Region it routes to lies within {@code requested}: it never widens a request's geography. */
    public boolean serves(Routing requested) {
        return requested.holdsAll(regions);
    }

    /** The key it is found by, when it carries the tenant tag and its model is known. */
    public Optional<ProfileKey> key(String tagKey) {
        String tenant = tags.get(tagKey);
        return tenant == null ? Optional.empty() : baseModelId.map(base -> new ProfileKey(tenant, base));
    }
}
