package dev.bedrocktenant.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrock.model.Tag;

/**
 * Lists the account's application inference profiles (all pages) and the tags of those asked for.
 * The control plane has no filter by tag, hence one ListTagsForResource per profile, a few at a time.
 */
public final class ProfileDiscovery {

    /**
     * ListInferenceProfiles maxResults is 1–1000 (bedrock service model,
     * <a href="https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListInferenceProfiles.html">API</a>).
     */
    public static final int MAX_PAGE_SIZE = 1000;

    /** ListTagsForResource calls in flight at once: gentle on the control plane's request rate. */
    static final int TAG_CALLS_IN_PARALLEL = 4;

    private final BedrockAsyncClient bedrock;

    public ProfileDiscovery(BedrockAsyncClient bedrock) {
        this.bedrock = bedrock;
    }

    /** All APPLICATION profiles, without tags. */
    public CompletableFuture<List<DiscoveredProfile>> list() {
        List<DiscoveredProfile> profiles = Collections.synchronizedList(new ArrayList<>());
        return bedrock.listInferenceProfilesPaginator(r -> r.typeEquals(InferenceProfileType.APPLICATION)
                        .maxResults(MAX_PAGE_SIZE))
                .inferenceProfileSummaries()
                .subscribe(summary -> profiles.add(DiscoveredProfile.of(summary.inferenceProfileArn(),
                        summary.inferenceProfileId(), summary.inferenceProfileName(), summary.models())))
                .thenApply(done -> List.copyOf(profiles));
    }

    /** One profile by ARN or id (GetInferenceProfile), without tags. */
    public CompletableFuture<DiscoveredProfile> get(String identifier) {
        return bedrock.getInferenceProfile(r -> r.inferenceProfileIdentifier(identifier))
                .thenApply(p -> DiscoveredProfile.of(p.inferenceProfileArn(), p.inferenceProfileId(),
                        p.inferenceProfileName(), p.models()));
    }

    /** All APPLICATION profiles; those {@code needsTags} accepts come with their tags. */
    public CompletableFuture<List<DiscoveredProfile>> scan(Predicate<DiscoveredProfile> needsTags) {
        return list().thenCompose(profiles -> withTags(profiles, needsTags));
    }

    public CompletableFuture<Map<String, String>> tagsOf(String arn) {
        return bedrock.listTagsForResource(r -> r.resourceARN(arn))
                .thenApply(response -> response.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b)));
    }

    private CompletableFuture<List<DiscoveredProfile>> withTags(List<DiscoveredProfile> profiles,
                                                                Predicate<DiscoveredProfile> needsTags) {
        DiscoveredProfile[] result = profiles.toArray(DiscoveredProfile[]::new);
        AtomicInteger next = new AtomicInteger();
        CompletableFuture<?>[] workers = IntStream.range(0, TAG_CALLS_IN_PARALLEL)
                .mapToObj(i -> tagNext(result, next, needsTags))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(workers).thenApply(done -> List.of(result));
    }

    /** One worker: takes the next profile that needs tags, fetches them, repeats. */
    private CompletableFuture<Void> tagNext(DiscoveredProfile[] profiles, AtomicInteger next,
                                            Predicate<DiscoveredProfile> needsTags) {
        int i;
        do {
            i = next.getAndIncrement();
        } while (i < profiles.length && !needsTags.test(profiles[i]));
        if (i >= profiles.length) {
            return CompletableFuture.completedFuture(null);
        }
        int index = i;
        return tagsOf(profiles[index].arn())
                .exceptionally(failure -> {
                    if (unwrap(failure) instanceof ResourceNotFoundException) {
                        return Map.of(); // deleted since it was listed
                    }
                    throw new CompletionException(unwrap(failure));
                })
                .thenCompose(tags -> {
                    profiles[index] = profiles[index].withTags(tags);
                    return tagNext(profiles, next, needsTags);
                });
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
