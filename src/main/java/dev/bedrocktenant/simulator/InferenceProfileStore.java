package dev.bedrocktenant.simulator;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.bedrocktenant.profile.ModelId;

/**
 * The simulated account's application inference profiles and their tags, in creation order (the order
 * ListInferenceProfiles pages through). Also answers for system profiles by id, as Bedrock does.
 */
public final class InferenceProfileStore {

    public static final String ACCOUNT = "111122223333";

    /** InferenceProfileName in the bedrock service model. */
    static final Pattern NAME = Pattern.compile("([0-9a-zA-Z][ _-]?)+");
    static final int MAX_NAME_LENGTH = 64;

    /** One profile; {@code models} are foundation-model ARNs, one per region it routes to. */
    public record Profile(String arn, String id, String name, List<String> models, String type, Instant createdAt,
                          Map<String, String> tags) {
    }

    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final String region;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Profile> byArn = new LinkedHashMap<>();
    private final Map<String, String> arnByToken = new LinkedHashMap<>();

    public InferenceProfileStore(String region) {
        this.region = region;
    }

    /**
     * Creates an application profile copying {@code copyFrom} (a foundation model or system profile ARN).
     *
     * @throws IllegalArgumentException with the ValidationException message for a bad name or source
     * @throws IllegalStateException    when the name is taken (ConflictException)
     */
    public synchronized Profile create(String name, String copyFrom, Map<String, String> tags, Optional<String> token) {
        if (token.isPresent() && arnByToken.containsKey(token.get())) {
            return byArn.get(arnByToken.get(token.get())); // idempotent retry: the same profile, no error
        }
        if (name == null || name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("1 validation error detected: Value '" + name
                    + "' at 'inferenceProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: ([0-9a-zA-Z][ _-]?)+");
        }
        if (byArn.values().stream().anyMatch(p -> p.name().equals(name))) {
            throw new IllegalStateException("An inference profile with the name " + name + " already exists.");
        }
        List<String> models = modelsOf(copyFrom);
        String id = randomId();
        String arn = "arn:aws:bedrock:" + region + ":" + ACCOUNT + ":application-inference-profile/" + id;
        Profile profile = new Profile(arn, id, name, models, "APPLICATION", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                new LinkedHashMap<>(tags));
        byArn.put(arn, profile);
        token.ifPresent(t -> arnByToken.put(t, arn));
        return profile;
    }

    /** Application profiles, oldest first. */
    public synchronized List<Profile> applicationProfiles() {
        return byArn.values().stream().map(InferenceProfileStore::copy).toList();
    }

    /** By ARN or id; system profiles by their id (us.…) or ARN. */
    public synchronized Optional<Profile> get(String identifier) {
        Optional<Profile> app = byArn.values().stream()
                .filter(p -> p.arn().equals(identifier) || p.id().equals(identifier)).findFirst().map(InferenceProfileStore::copy);
        return app.or(() -> systemProfile(identifier));
    }

    public synchronized boolean delete(String identifier) {
        Optional<Profile> profile = byArn.values().stream()
                .filter(p -> p.arn().equals(identifier) || p.id().equals(identifier)).findFirst();
        profile.ifPresent(p -> byArn.remove(p.arn()));
        return profile.isPresent();
    }

    /** Empty when no such resource. */
    public synchronized Optional<Map<String, String>> tags(String arn) {
        return Optional.ofNullable(byArn.get(arn)).map(p -> Map.copyOf(p.tags()));
    }

    public synchronized boolean tag(String arn, Map<String, String> tags) {
        Profile profile = byArn.get(arn);
        if (profile != null) {
            profile.tags().putAll(tags);
        }
        return profile != null;
    }

    public synchronized boolean untag(String arn, List<String> keys) {
        Profile profile = byArn.get(arn);
        if (profile != null) {
            keys.forEach(profile.tags()::remove);
        }
        return profile != null;
    }

    private Optional<Profile> systemProfile(String identifier) {
        String id = identifier.contains("/") ? identifier.substring(identifier.lastIndexOf('/') + 1) : identifier;
        ModelId model = ModelId.parse(id);
        if (model.kind() != ModelId.Kind.SYSTEM_INFERENCE_PROFILE) {
            return Optional.empty();
        }
        String arn = "arn:aws:bedrock:" + region + ":" + ACCOUNT + ":inference-profile/" + id;
        return Optional.of(new Profile(arn, id, id, modelsOf(arn), "SYSTEM_DEFINED", Instant.EPOCH, Map.of()));
    }

    /**
     * A foundation model: itself. A system profile: its base model in each Region of its geography, one model
     * ARN per Region, as Bedrock lists a copy of it (the Regions are a representative subset of AWS's).
     */
    private List<String> modelsOf(String copyFrom) {
        ModelId source = ModelId.parse(copyFrom == null ? " " : copyFrom);
        String base = source.baseModelId().orElse(null);
        if (source.kind() == ModelId.Kind.FOUNDATION_MODEL_ARN) {
            return List.of(copyFrom);
        }
        if (source.kind() == ModelId.Kind.SYSTEM_INFERENCE_PROFILE_ARN && base != null) {
            List<String> models = new ArrayList<>();
            for (String r : regionsOf(source.geoPrefix().orElse(""))) {
                models.add("arn:aws:bedrock:" + r + "::foundation-model/" + base);
            }
            return models;
        }
        throw new IllegalArgumentException("The provided model source " + copyFrom
                + " is not a foundation model or system-defined inference profile ARN.");
    }

    private List<String> regionsOf(String geo) {
        return switch (geo) {
            case "us" -> List.of("us-east-1", "us-east-2", "us-west-2");
            case "eu" -> List.of("eu-central-1", "eu-west-1", "eu-west-3");
            case "apac" -> List.of("ap-northeast-1", "ap-southeast-1", "ap-southeast-2");
            case "jp" -> List.of("ap-northeast-1", "ap-northeast-3");
            case "au" -> List.of("ap-southeast-2", "ap-southeast-4");
            case "ca" -> List.of("ca-central-1", "ca-west-1");
            case "us-gov" -> List.of("us-gov-east-1", "us-gov-west-1");
            case "global" -> List.of("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1");
            default -> List.of(region);
        };
    }

    private String randomId() {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    private static Profile copy(Profile p) {
        return new Profile(p.arn(), p.id(), p.name(), p.models(), p.type(), p.createdAt(), Map.copyOf(p.tags()));
    }
}
