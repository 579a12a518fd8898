package dev.bedrocktenant.profile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The account's application inference profiles, in memory: a request whose mapping is known is answered
 * without any control-plane call, whatever state the control plane is in. A tenant may have several
 * profiles of one model (one per routing); each request gets the one that fits its routing. A miss is
 * looked up once — concurrent misses for one tenant, model and routing share the lookup (and the one
 * creation) — and remembered for miss-ttl. The whole account is listed again in the background.
 */
public class ProfileCatalog {

    private static final Logger LOG = Logger.getLogger(ProfileCatalog.class);

    /**
     * @param tagKey        the tag that names a profile's tenant
     * @param region        the proxy's Region: where a bare model id runs
     * @param missTtl       how long "none fits" (or a failed lookup) is remembered
     * @param lookupTimeout the longest a request waits for the control plane, lookups and creation together
     */
    public record Settings(String tagKey, String region, Duration missTtl, Duration lookupTimeout) {
    }

    /** A profile the catalog knows, where it came from, and when discovery last confirmed it. */
    public record Entry(DiscoveredProfile profile, ModelTarget.Source source, Instant seenAt) {
    }

    /** What a miss is remembered by: a tenant's model, in one routing. */
    private record Wanted(ProfileKey key, Routing routing) {
    }

    /** Nothing fits, or the lookup failed: remembered until {@code until}. */
    private record Miss(Instant until, ProfileLookup answer) {
    }

    /** The state of the background refresh, for the admin view. */
    public record RefreshState(Optional<Instant> lastSuccess, Optional<String> lastError, int profiles) {
    }

    private final ProfileDiscovery discovery;
    private final Optional<ProfileCreator> creator;
    private final Settings settings;
    private final Clock clock;
    /** Tenants' tagged profiles by (tenant tag, model), ARN order; replaced whole, read without locks. */
    private volatile Map<ProfileKey, List<Entry>> known = Map.of();
    private final Map<Wanted, Miss> misses = new ConcurrentHashMap<>();
    private final Map<Wanted, CompletableFuture<ProfileLookup>> inFlight = new ConcurrentHashMap<>();
    /** Every application profile of the account, tagged or not, by ARN, as last listed. */
    private volatile Map<String, DiscoveredProfile> listed = Map.of();
    private final CompletableFuture<Void> firstListing = new CompletableFuture<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile RefreshState refreshState = new RefreshState(Optional.empty(), Optional.empty(), 0);

    /** @param creator present when proxy.profiles.auto-create is on */
    public ProfileCatalog(ProfileDiscovery discovery, Optional<ProfileCreator> creator, Settings settings, Clock clock) {
        this.discovery = discovery;
        this.creator = creator;
        this.settings = settings;
        this.clock = clock;
        if (discovery == null) {
            firstListing.complete(null);
        }
    }

    /** No control plane: every lookup finds nothing (proxy.profiles.discovery.enabled=false). */
    public static ProfileCatalog off(String tagKey, String region) {
        return new ProfileCatalog(null, Optional.empty(), new Settings(tagKey, region, Duration.ZERO, Duration.ZERO),
                Clock.systemUTC());
    }

    public boolean enabled() {
        return discovery != null;
    }

    public String tagKey() {
        return settings.tagKey();
    }

    public Settings settings() {
        return settings;
    }

    /** The profile of the tenant's model that fits the request's routing best, from memory. */
    public Optional<Entry> known(ProfileRequest request) {
        return ProfileChoice.best(known.getOrDefault(request.key(), List.of()), Entry::profile, request.routing());
    }

    /** Every profile known for a tenant's model, whatever its routing. */
    public List<Entry> knownFor(ProfileKey key) {
        return known.getOrDefault(key, List.of());
    }

    public Map<ProfileKey, List<Entry>> snapshot() {
        return known;
    }

    /** An application profile of the account as last listed (or since created), by ARN. */
    public Optional<DiscoveredProfile> listed(String profileArn) {
        return Optional.ofNullable(listed.get(profileArn));
    }

    /**
     * Completes once the account has been listed (or the first listing failed): until then the Regions of
     * the tenants file's profiles are unknown. Starts the listing if nothing has yet.
     */
    public CompletableFuture<Void> firstListing() {
        if (!firstListing.isDone()) {
            refresh();
        }
        return firstListing;
    }

    public boolean listedOnce() {
        return firstListing.isDone();
    }

    public RefreshState refreshState() {
        return refreshState;
    }

    /** Known, remembered as missing, joined to a lookup in flight, or looked up (and created) now. */
    public CompletableFuture<ProfileLookup> lookup(ProfileRequest request) {
        Optional<Entry> entry = known(request);
        if (entry.isPresent()) {
            return CompletableFuture.completedFuture(ProfileLookup.found(entry.get()));
        }
        if (!enabled()) {
            return CompletableFuture.completedFuture(ProfileLookup.notFound());
        }
        Wanted wanted = new Wanted(request.key(), request.routing());
        Miss miss = misses.get(wanted);
        if (miss != null && miss.until().isAfter(clock.instant())) {
            return CompletableFuture.completedFuture(miss.answer());
        }
        CompletableFuture<ProfileLookup> mine = new CompletableFuture<>();
        CompletableFuture<ProfileLookup> shared = inFlight.putIfAbsent(wanted, mine);
        if (shared != null) {
            return shared;
        }
        findOrCreate(request).whenComplete((answer, failure) -> {
            ProfileLookup result = failure == null ? answer : ProfileLookup.failed(describe(failure));
            if (result.entry().isEmpty()) {
                misses.put(wanted, new Miss(clock.instant().plus(settings.missTtl()), result));
                LOG.infof("profile lookup tenantTag=%s model=%s routing=%s found=none failure=%s", request.tenantTag(),
                        request.baseModelId(), request.routing(), result.failure().orElse("none"));
            }
            inFlight.remove(wanted, mine);
            mine.complete(result);
        });
        return mine;
    }

    private CompletableFuture<ProfileLookup> findOrCreate(ProfileRequest request) {
        // only profiles of this model can match: fetch the tags of those alone
        return discovery.scan(p -> p.baseModelId().filter(request.baseModelId()::equals).isPresent())
                .thenCompose(profiles -> {
                    update(current -> merged(current, index(profiles), ModelTarget.Source.DISCOVERY));
                    Optional<Entry> found = known(request);
                    if (found.isPresent()) {
                        return CompletableFuture.completedFuture(ProfileLookup.found(found.get()));
                    }
                    if (creator.isEmpty()) {
                        return CompletableFuture.completedFuture(ProfileLookup.notFound());
                    }
                    return creator.get().create(request).thenApply(created -> {
                        if (!created.serves(request.routing())) {
                            // a profile of that name exists already and routes elsewhere: never widen
                            return ProfileLookup.failed("profile " + created.name() + " (" + created.arn()
                                    + ") exists but routes to " + created.regions() + ", outside " + request.routing());
                        }
                        update(current -> merged(current, Map.of(request.key(), List.of(created)), ModelTarget.Source.AUTO_CREATED));
                        addListed(created);
                        misses.remove(new Wanted(request.key(), request.routing()));
                        return ProfileLookup.found(known(request).orElseThrow());
                    });
                });
    }

    /** Lists every APPLICATION profile and its tags, and replaces what is known with it; never fails. */
    public CompletableFuture<Void> refresh() {
        if (!enabled() || !refreshing.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        Instant started = clock.instant();
        return discovery.scan(p -> true).thenAccept(profiles -> {
            Map<String, DiscoveredProfile> byArn = new HashMap<>();
            profiles.forEach(p -> byArn.put(p.arn(), p));
            synchronized (this) {
                listed = Map.copyOf(byArn);
            }
            Map<ProfileKey, List<DiscoveredProfile>> found = index(profiles);
            update(current -> refreshed(current, found, started));
            misses.keySet().removeIf(w -> ProfileChoice.best(knownFor(w.key()), Entry::profile, w.routing()).isPresent());
            int tagged = found.values().stream().mapToInt(List::size).sum();
            refreshState = new RefreshState(Optional.of(clock.instant()), Optional.empty(), tagged);
            LOG.infof("profiles refreshed profiles=%d tenantProfiles=%d", profiles.size(), tagged);
        }).handle((done, failure) -> {
            refreshing.set(false);
            firstListing.complete(null);
            if (failure != null) {
                refreshState = new RefreshState(refreshState.lastSuccess(), Optional.of(describe(failure)), refreshState.profiles());
                LOG.warnf("profiles refresh failed, keeping the profiles known: %s", describe(failure));
            }
            return null;
        });
    }

    private synchronized void addListed(DiscoveredProfile created) {
        Map<String, DiscoveredProfile> next = new HashMap<>(listed);
        next.put(created.arn(), created);
        listed = Map.copyOf(next);
    }

    private synchronized void update(UnaryOperator<Map<ProfileKey, List<Entry>>> change) {
        known = Map.copyOf(change.apply(known));
    }

    /** What is known plus {@code found}; a profile known already keeps its entry, a new one comes from {@code source}. */
    private Map<ProfileKey, List<Entry>> merged(Map<ProfileKey, List<Entry>> current,
                                                Map<ProfileKey, List<DiscoveredProfile>> found, ModelTarget.Source source) {
        Instant now = clock.instant();
        Map<ProfileKey, List<Entry>> next = new HashMap<>(current);
        found.forEach((key, profiles) -> {
            List<Entry> entries = new ArrayList<>(next.getOrDefault(key, List.of()));
            for (DiscoveredProfile p : profiles) {
                if (entries.stream().noneMatch(e -> e.profile().arn().equals(p.arn()))) {
                    entries.add(new Entry(p, source, now));
                }
            }
            entries.sort(Comparator.comparing(e -> e.profile().arn()));
            next.put(key, List.copyOf(entries));
        });
        return next;
    }

    /**
     * The account as just listed: a profile the proxy created stays marked so; one gone from the account is
     * dropped, except those added while the listing ran.
     */
    private static Map<ProfileKey, List<Entry>> refreshed(Map<ProfileKey, List<Entry>> current,
                                                          Map<ProfileKey, List<DiscoveredProfile>> found, Instant started) {
        Map<String, Entry> before = new HashMap<>();
        current.values().forEach(list -> list.forEach(e -> before.put(e.profile().arn(), e)));
        Map<ProfileKey, List<Entry>> next = new HashMap<>();
        found.forEach((key, profiles) -> next.put(key, new ArrayList<>(profiles.stream().map(p -> {
            Entry old = before.remove(p.arn());
            return new Entry(p, old == null ? ModelTarget.Source.DISCOVERY : old.source(), started);
        }).toList())));
        current.forEach((key, list) -> list.stream()
                .filter(e -> before.containsKey(e.profile().arn()) && e.seenAt().isAfter(started))
                .forEach(e -> next.computeIfAbsent(key, k -> new ArrayList<>()).add(e)));
        next.replaceAll((key, list) -> list.stream().sorted(Comparator.comparing(e -> e.profile().arn())).toList());
        return next;
    }

    /** Tagged profiles by key, ARN order (stable across refreshes). */
    private Map<ProfileKey, List<DiscoveredProfile>> index(List<DiscoveredProfile> profiles) {
        Map<ProfileKey, List<DiscoveredProfile>> byKey = new HashMap<>();
        profiles.stream().sorted(Comparator.comparing(DiscoveredProfile::arn))
                .forEach(p -> p.key(settings.tagKey()).ifPresent(k -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(p)));
        return byKey;
    }

    /** Log- and client-safe: the AWS error code and message, or the client's own reason. */
    static String describe(Throwable failure) {
        Throwable t = ProfileDiscovery.unwrap(failure);
        if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + " (HTTP " + aws.statusCode() + "): " + aws.awsErrorDetails().errorMessage();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
