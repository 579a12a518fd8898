package dev.bedrocktenant.profile;

import java.util.List;
import java.util.Optional;

/**
 * A model id as Bedrock Runtime accepts it, and the foundation model behind it where that can be told
 * from the id alone (an application inference profile or a custom model needs the control plane).
 *
 * @param raw         the id as given (decoded)
 * @param geoPrefix   the routing geography of a system inference profile ({@code us}, {@code eu}, {@code global}…)
 * @param baseModelId the foundation model id, when the id itself says which
 */
public record ModelId(String raw, Kind kind, Optional<String> geoPrefix, Optional<String> baseModelId) {

    public enum Kind {
        /** {@code anthropic.claude-3-haiku-20240307-v1:0} */
        FOUNDATION_MODEL,
        /** {@code us.anthropic.claude-sonnet-4-20250514-v1:0}: a system (cross-region) inference profile id */
        SYSTEM_INFERENCE_PROFILE,
        /** {@code arn:aws:bedrock:us-east-1::foundation-model/<id>} */
        FOUNDATION_MODEL_ARN,
        /** {@code arn:aws:bedrock:<region>:<account>:inference-profile/<system profile id>} */
        SYSTEM_INFERENCE_PROFILE_ARN,
        /** {@code arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>} */
        APPLICATION_INFERENCE_PROFILE_ARN,
        /** any other ARN: provisioned, custom, imported, marketplace models… */
        OTHER_ARN
    }

    /** Geographies of system inference profiles; longer first so that {@code us-gov.} is not read as {@code us}. */
    private static final List<String> GEO_PREFIXES = List.of("us-gov", "global", "apac", "us", "eu", "jp", "au", "ca");

    /** @throws IllegalArgumentException for a null or blank id */
    public static ModelId parse(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a model id must not be empty");
        }
        return id.startsWith("arn:") ? parseArn(id) : parsePlain(id);
    }

    private static ModelId parsePlain(String id) {
        for (String geo : GEO_PREFIXES) {
            String rest = id.startsWith(geo + ".") ? id.substring(geo.length() + 1) : "";
            // a geography is only a prefix when a provider.model id follows it
            if (looksLikeFoundationModel(rest)) {
                return new ModelId(id, Kind.SYSTEM_INFERENCE_PROFILE, Optional.of(geo), Optional.of(rest));
            }
        }
        return new ModelId(id, Kind.FOUNDATION_MODEL, Optional.empty(), Optional.of(id));
    }

    /** {@code arn:partition:bedrock:region:account:type/id}; the id may itself contain ':' (…-v1:0). */
    private static ModelId parseArn(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[2].equals("bedrock") || parts[5].indexOf('/') < 1) {
            return new ModelId(arn, Kind.OTHER_ARN, Optional.empty(), Optional.empty());
        }
        String resource = parts[5];
        String type = resource.substring(0, resource.indexOf('/'));
        String resourceId = resource.substring(type.length() + 1);
        return switch (type) {
            case "foundation-model" -> new ModelId(arn, Kind.FOUNDATION_MODEL_ARN, Optional.empty(), Optional.of(resourceId));
            case "inference-profile" -> {
                ModelId profile = parsePlain(resourceId);
                yield new ModelId(arn, Kind.SYSTEM_INFERENCE_PROFILE_ARN, profile.geoPrefix(), profile.baseModelId());
            }
            case "application-inference-profile" ->
                    new ModelId(arn, Kind.APPLICATION_INFERENCE_PROFILE_ARN, Optional.empty(), Optional.empty());
            default -> new ModelId(arn, Kind.OTHER_ARN, Optional.empty(), Optional.empty());
        };
    }

    /** provider.model, e.g. anthropic.claude…, with both parts non-empty. */
    private static boolean looksLikeFoundationModel(String id) {
        int dot = id.indexOf('.');
        return dot > 0 && dot < id.length() - 1 && id.substring(0, dot).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-');
    }

    public boolean isArn() {
        return raw.startsWith("arn:");
    }

    @Override
    public String toString() {
        return raw;
    }
}
