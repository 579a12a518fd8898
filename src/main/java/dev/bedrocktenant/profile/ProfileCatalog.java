package dev.bedrocktenant.profile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The tenants' discovered (and auto-created) profiles, in memory: a request whose mapping is known is
 * answered without any control-plane call, whatever state the control plane is in. A miss is looked
 * up once — concurrent misses for one key share the lookup (and the one creation) — and remembered
 * for miss-ttl. The whole map is refreshed in the background.
 */
public class ProfileCatalog {

    private static final Logger LOG = Logger.getLogger(ProfileCatalog.class);

    /** A profile the catalog knows, where it came from, and when discovery last confirmed it. */
    public record Entry(DiscoveredProfile profile, ModelTarget.Source source, Instant seenAt) {
    }

    /** Nothing found, or the lookup failed: remembered until {@code until}. */
    private record Miss(Instant until, ProfileLookup answer) {
    }

    /** The state of the background refresh, for the admin view. */
    public record RefreshState(Optional<Instant> lastSuccess, Optional<String> lastError, int profiles) {
    }

    private final ProfileDiscovery discovery;
    private final Optional<ProfileCreator> creator;
    private final String tagKey;
    private final Duration missTtl;
    private final Clock clock;
    private final Map<ProfileKey, Entry> known = new ConcurrentHashMap<>();
    private final Map<ProfileKey, Miss> misses = new ConcurrentHashMap<>();
    private final Map<ProfileKey, CompletableFuture<ProfileLookup>> inFlight = new ConcurrentHashMap<>();
    /** Every application profile of the account, tagged or not, by ARN: the foundation model it copies. */
    private volatile Map<String, String> copiedModels = Map.of();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile RefreshState refreshState = new RefreshState(Optional.empty(), Optional.empty(), 0);

    /** @param creator present when proxy.profiles.auto-create is on */
    public ProfileCatalog(ProfileDiscovery discovery, Optional<ProfileCreator> creator, String tagKey,
                          Duration missTtl, Clock clock) {
        this.discovery = discovery;
        this.creator = creator;
        this.tagKey = tagKey;
        this.missTtl = missTtl;
        this.clock = clock;
    }

    /** No control plane: every lookup finds nothing (proxy.profiles.discovery.enabled=false). */
    public static ProfileCatalog off(String tagKey) {
        return new ProfileCatalog(null, Optional.empty(), tagKey, Duration.ZERO, Clock.systemUTC());
    }

    public boolean enabled() {
        return discovery != null;
    }

    public String tagKey() {
        return tagKey;
    }

    public Optional<Entry> known(ProfileKey key) {
        return Optional.ofNullable(known.get(key));
    }

    public Map<ProfileKey, Entry> snapshot() {
        return Map.copyOf(known);
    }

    /** The foundation model an application profile of the account copies, as last seen. */
    public Optional<String> copiedModelOf(String profileArn) {
        return Optional.ofNullable(copiedModels.get(profileArn))
                .or(() -> known.values().stream() // created since the last refresh
                        .filter(e -> e.profile().arn().equals(profileArn))
                        .findFirst()
                        .flatMap(e -> e.profile().baseModelId()));
    }

    public RefreshState refreshState() {
        return refreshState;
    }

    /** Known, remembered as missing, joined to a lookup in flight, or looked up (and created) now. */
    public CompletableFuture<ProfileLookup> lookup(ProfileRequest request) {
        ProfileKey key = request.key();
        Entry entry = known.get(key);
        if (entry != null) {
            return CompletableFuture.completedFuture(ProfileLookup.found(entry));
        }
        if (!enabled()) {
            return CompletableFuture.completedFuture(ProfileLookup.notFound());
        }
        Miss miss = misses.get(key);
        if (miss != null && miss.until().isAfter(clock.instant())) {
            return CompletableFuture.completedFuture(miss.answer());
        }
        CompletableFuture<ProfileLookup> mine = new CompletableFuture<>();
        CompletableFuture<ProfileLookup> shared = inFlight.putIfAbsent(key, mine);
        if (shared != null) {
            return shared;
        }
        findOrCreate(request).whenComplete((answer, failure) -> {
            ProfileLookup result = failure == null ? answer : ProfileLookup.failed(describe(failure));
            if (result.entry().isEmpty()) {
                misses.put(key, new Miss(clock.instant().plus(missTtl), result));
                LOG.infof("profile lookup tenantTag=%s model=%s found=none failure=%s", key.tenantTag(),
                        key.baseModelId(), result.failure().orElse("none"));
            }
            inFlight.remove(key, mine);
            mine.complete(result);
        });
        return mine;
    }

    private CompletableFuture<ProfileLookup> findOrCreate(ProfileRequest request) {
        ProfileKey key = request.key();
        // only profiles of this model can match: fetch the tags of those alone
        return discovery.scan(p -> p.baseModelId().filter(key.baseModelId()::equals).isPresent())
                .thenCompose(profiles -> {
                    Instant now = clock.instant();
                    index(profiles).forEach((k, p) -> known.putIfAbsent(k, new Entry(p, ModelTarget.Source.DISCOVERY, now)));
                    Entry found = known.get(key);
                    if (found != null) {
                        return CompletableFuture.completedFuture(ProfileLookup.found(found));
                    }
                    if (creator.isEmpty()) {
                        return CompletableFuture.completedFuture(ProfileLookup.notFound());
                    }
                    return creator.get().create(request).thenApply(created -> {
                        Entry added = new Entry(created, ModelTarget.Source.AUTO_CREATED, clock.instant());
                        known.put(key, added);
                        misses.remove(key);
                        return ProfileLookup.found(added);
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
            Map<ProfileKey, DiscoveredProfile> found = index(profiles);
            copiedModels = copiedModels(profiles);
            found.forEach((key, profile) -> known.merge(key, new Entry(profile, ModelTarget.Source.DISCOVERY, started),
                    // a profile the proxy created stays marked so
                    (old, fresh) -> old.profile().arn().equals(profile.arn()) ? new Entry(profile, old.source(), started) : fresh));
            // gone from the account; entries added while this scan ran are kept
            known.entrySet().removeIf(e -> !found.containsKey(e.getKey()) && e.getValue().seenAt().isBefore(started));
            misses.keySet().removeAll(found.keySet());
            refreshState = new RefreshState(Optional.of(clock.instant()), Optional.empty(), found.size());
            LOG.infof("profiles refreshed profiles=%d tenantProfiles=%d", profiles.size(), found.size());
        }).handle((done, failure) -> {
            refreshing.set(false);
            if (failure != null) {
                refreshState = new RefreshState(refreshState.lastSuccess(), Optional.of(describe(failure)), refreshState.profiles());
                LOG.warnf("profiles refresh failed, keeping %d known profiles: %s", known.size(), describe(failure));
            }
            return null;
        });
    }

    private static Map<String, String> copiedModels(List<DiscoveredProfile> profiles) {
        Map<String, String> byArn = new HashMap<>();
        profiles.forEach(p -> p.baseModelId().ifPresent(base -> byArn.put(p.arn(), base)));
        return Map.copyOf(byArn);
    }

    /** Tagged profiles by key; where several share a key, the oldest ARN wins (stable across refreshes). */
    private Map<ProfileKey, DiscoveredProfile> index(List<DiscoveredProfile> profiles) {
        Map<ProfileKey, DiscoveredProfile> byKey = new HashMap<>();
        profiles.stream().sorted(Comparator.comparing(DiscoveredProfile::arn))
                .forEach(p -> p.key(tagKey).ifPresent(k -> byKey.putIfAbsent(k, p)));
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
