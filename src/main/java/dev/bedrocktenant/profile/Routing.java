package dev.bedrocktenant.profile;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where Bedrock may run a request: one Region, a geography's Regions, or anywhere. A request's routing is
 * its model id's cross-Region prefix ({@code eu.…}), or the proxy's own Region for a bare model id; a
 * profile's is the narrowest that holds every Region its model ARNs name. A profile may serve a request
 * only when the request's routing holds all of the profile's Regions: an application that calls
 * {@code eu.…} to keep its data in the EU is never sent to a profile that routes to the US.
 *
 * @param name a Region ({@code us-east-1}), a geography ({@code eu}) or {@code global}
 */
public record Routing(String name, Scope scope) {

    public enum Scope { REGION, GEOGRAPHY, GLOBAL }

    /** A geography and the Regions it holds, by AWS's Region names. */
    private record Geography(String name, Predicate<String> holds) {
    }

    /** Narrowest first, so that a profile's Regions are named by the smallest geography that holds them all. */
    private static final List<Geography> GEOGRAPHIES = List.of(
            new Geography("jp", r -> r.equals("ap-northeast-1") || r.equals("ap-northeast-3")),
            new Geography("au", r -> r.equals("ap-southeast-2") || r.equals("ap-southeast-4")),
            new Geography("ca", r -> r.startsWith("ca-")),
            new Geography("us-gov", r -> r.startsWith("us-gov-")),
            new Geography("us", r -> r.startsWith("us-") && !r.startsWith("us-gov-")),
            new Geography("eu", r -> r.startsWith("eu-")),
            new Geography("apac", r -> r.startsWith("ap-")));

    public static final Routing GLOBAL = new Routing("global", Scope.GLOBAL);

    public static Routing region(String region) {
        return new Routing(region, Scope.REGION);
    }

    /** What a request for {@code model} asks for; a bare id runs in the proxy's Region. */
    public static Routing requestedBy(ModelId model, String proxyRegion) {
        return switch (model.kind()) {
            case SYSTEM_INFERENCE_PROFILE, SYSTEM_INFERENCE_PROFILE_ARN -> model.geoPrefix()
                    .map(geo -> geo.equals(GLOBAL.name) ? GLOBAL : new Routing(geo, Scope.GEOGRAPHY))
                    .orElse(region(proxyRegion));
            case FOUNDATION_MODEL_ARN -> region(regionOfArn(model.raw()).orElse(proxyRegion));
            default -> region(proxyRegion);
        };
    }

    /** The routing of a profile whose model ARNs name these Regions: one Region, else the narrowest geography. */
    public static Routing ofRegions(Collection<String> regions) {
        Set<String> distinct = Set.copyOf(regions);
        if (distinct.size() == 1) {
            return region(distinct.iterator().next());
        }
        return GEOGRAPHIES.stream()
                .filter(g -> !distinct.isEmpty() && distinct.stream().allMatch(g.holds))
                .findFirst()
                .map(g -> new Routing(g.name, Scope.GEOGRAPHY))
                .orElse(GLOBAL);
    }

    /** True when every one of {@code regions} lies within this routing. */
    public boolean holdsAll(Collection<String> regions) {
        return !regions.isEmpty() && regions.stream().allMatch(this::holds);
    }

    public boolean holds(String region) {
        return switch (scope) {
            case GLOBAL -> true;
            case REGION -> name.equals(region);
            case GEOGRAPHY -> GEOGRAPHIES.stream().filter(g -> g.name.equals(name)).allMatch(g -> g.holds.test(region));
        };
    }

    /**
     * The model id that asks for exactly this routing, as Bedrock names it and as it is priced:
     * {@code eu.<model>}, {@code global.<model>}, or the bare id for one Region.
     */
    public String modelIdFor(String baseModelId) {
        return scope == Scope.REGION ? baseModelId : name + "." + baseModelId;
    }

    /** {@code arn:partition:bedrock:<region>:…}: the Region of a Bedrock ARN, when it names one. */
    static Optional<String> regionOfArn(String arn) {
        String[] parts = arn.split(":", 5);
        return parts.length >= 4 && !parts[3].isEmpty() ? Optional.of(parts[3]) : Optional.empty();
    }

    @Override
    public String toString() {
        return name;
    }
}
