package dev.bedrocktenant.profile;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jboss.logging.Logger;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.model.ConflictException;
import software.amazon.awssdk.services.bedrock.model.Tag;

/**
 * Creates a tenant's application inference profile for a model (CreateInferenceProfile), copying the
 * model or system profile it asked for and tagged with the tenant's tags. Name and clientRequestToken
 * are deterministic, so a retry or a second creator gets the same profile rather than a second one;
 * callers look before they create.
 */
public final class ProfileCreator {

    private static final Logger LOG = Logger.getLogger(ProfileCreator.class);

    private final BedrockAsyncClient bedrock;
    private final ProfileDiscovery discovery;
    private final String region;
    private final String namePrefix;

    public ProfileCreator(BedrockAsyncClient bedrock, ProfileDiscovery discovery, String region, String namePrefix) {
        this.bedrock = bedrock;
        this.discovery = discovery;
        this.region = region;
        this.namePrefix = namePrefix;
    }

    /** {@code <prefix>-<tenant>-<model>}, the model as its routing names it: one profile per tenant, model and routing. */
    public String nameOf(ProfileRequest request) {
        return ProfileNames.name(namePrefix, request.tenantTag(), request.routedModelId());
    }

    public CompletableFuture<DiscoveredProfile> create(ProfileRequest request) {
        String name = nameOf(request);
        return copySourceOf(request.requested(), request.baseModelId())
                .thenCompose(source -> bedrock.createInferenceProfile(r -> r
                        .inferenceProfileName(name)
                        .modelSource(m -> m.copyFrom(source))
                        .clientRequestToken(ProfileNames.clientRequestToken(request.tenantTag(), request.routedModelId()))
                        .tags(request.tags().entrySet().stream()
                                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())))
                // the answer holds only the ARN: the Regions it routes to are read back as Bedrock lists them
                .thenCompose(created -> discovery.get(created.inferenceProfileArn()))
                .thenApply(created -> {
                    LOG.infof("profile created tenant=%s model=%s name=%s arn=%s regions=%s", request.tenantId(),
                            request.routedModelId(), name, created.arn(), created.regions());
                    return created.withTags(request.tags());
                })
                .exceptionallyCompose(failure -> {
                    if (ProfileDiscovery.unwrap(failure) instanceof ConflictException) {
                        // the name exists already: another sidecar (or an earlier run) was first
                        return existing(name, request);
                    }
                    return CompletableFuture.failedFuture(ProfileDiscovery.unwrap(failure));
                });
    }

    private CompletableFuture<DiscoveredProfile> existing(String name, ProfileRequest request) {
        return discovery.list().thenCompose(profiles -> profiles.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .map(p -> discovery.tagsOf(p.arn()).thenApply(p::withTags))
                .orElseGet(() -> CompletableFuture.failedFuture(new CompletionException(new IllegalStateException(
                        "CreateInferenceProfile reported a conflict for " + name + " but no such profile is listed")))))
                .thenApply(p -> {
                    if (!request.tenantTag().equals(p.tags().get(request.tagKey()))) {
                        throw new CompletionException(new IllegalStateException("profile " + name + " (" + p.arn()
                                + ") exists but is not tagged for tenant " + request.tenantTag()));
                    }
                    return p;
                });
    }

    /** The ARN to copy: a foundation model, or a system profile (looked up: its ARN holds an account). */
    CompletableFuture<String> copySourceOf(ModelId requested, String baseModelId) {
        return switch (requested.kind()) {
            case FOUNDATION_MODEL_ARN, SYSTEM_INFERENCE_PROFILE_ARN -> CompletableFuture.completedFuture(requested.raw());
            case SYSTEM_INFERENCE_PROFILE -> bedrock.getInferenceProfile(r -> r.inferenceProfileIdentifier(requested.raw()))
                    .thenApply(profile -> profile.inferenceProfileArn());
            default -> CompletableFuture.completedFuture(
                    "arn:" + partitionOf(region) + ":bedrock:" + region + "::foundation-model/" + baseModelId);
        };
    }

    static String partitionOf(String region) {
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return region.startsWith("cn-") ? "aws-cn" : "aws";
    }
}
