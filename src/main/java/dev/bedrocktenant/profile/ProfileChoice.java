package dev.bedrocktenant.profile;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which of a tenant's profiles of a model serves a request: only one whose Regions all lie within the
 * request's routing; of those, the one copying exactly that routing, else the one routing to the most
 * Regions (the closest to what was asked), else the first by ARN, so the choice is stable.
 */
public final class ProfileChoice {

    private ProfileChoice() {
    }

    public static <T> Optional<T> best(Collection<T> candidates, Function<T, DiscoveredProfile> profileOf, Routing requested) {
        T best = null;
        int bestRank = -1;
        for (T candidate : candidates) { // a loop: it runs per request, usually over one candidate
            DiscoveredProfile profile = profileOf.apply(candidate);
            if (!profile.serves(requested)) {
                continue;
            }
            int rank = profile.routing().filter(requested::equals).isPresent() ? Integer.MAX_VALUE : profile.regions().size();
            if (rank > bestRank) {
                best = candidate;
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best);
    }
}
