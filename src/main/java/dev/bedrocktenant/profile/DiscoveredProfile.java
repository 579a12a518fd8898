package dev.bedrocktenant.profile;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.bedrock.model.InferenceProfileModel;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;

/**
 * An application inference profile of the account, as the control plane lists it.
 *
 * @param baseModelId the foundation model it copies; a copy of a system profile lists one model ARN per
 *                    region, all of the same base model
 * @param tags        its tags; empty when they were not fetched
 */
public record DiscoveredProfile(String arn, String id, String name, Optional<String> baseModelId,
                                Map<String, String> tags) {

    public static DiscoveredProfile of(InferenceProfileSummary summary) {
        return new DiscoveredProfile(summary.inferenceProfileArn(), summary.inferenceProfileId(),
                summary.inferenceProfileName(), baseModelOf(summary.models()), Map.of());
    }

    static Optional<String> baseModelOf(List<InferenceProfileModel> models) {
        return models.stream()
                .map(m -> m.modelArn() == null ? Optional.<String>empty() : ModelId.parse(m.modelArn()).baseModelId())
                .flatMap(Optional::stream)
                .findFirst();
    }

    public DiscoveredProfile withTags(Map<String, String> tags) {
        return new DiscoveredProfile(arn, id, name, baseModelId, Map.copyOf(tags));
    }

    /** The key it is found by, when it carries the tenant tag and its model is known. */
    public Optional<ProfileKey> key(String tagKey) {
        String tenant = tags.get(tagKey);
        return tenant == null ? Optional.empty() : baseModelId.map(base -> new ProfileKey(tenant, base));
    }
}
