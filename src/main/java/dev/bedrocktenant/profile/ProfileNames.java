package dev.bedrocktenant.profile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names and idempotency tokens of the profiles the proxy creates. Both are derived from (tenant, model)
 * alone, so a restarted proxy, another sidecar and the provision command all ask for the same profile.
 */
public final class ProfileNames {

    /**
     * InferenceProfileName: 1–64 characters of {@code ([0-9a-zA-Z][ _-]?)+} (bedrock service model,
     * <a href="https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateInferenceProfile.html">CreateInferenceProfile</a>).
     */
    public static final int MAX_NAME_LENGTH = 64;

    /** IdempotencyToken: up to 256 characters of {@code [a-zA-Z0-9]([-a-zA-Z0-9]{0,254}[a-zA-Z0-9])?}. */
    public static final int MAX_TOKEN_LENGTH = 256;

    private static final int HASH_CHARS = 8;

    private ProfileNames() {
    }

    /** {@code <prefix>-<tenant>-<model>}, e.g. {@code btp-acme-anthropic-claude-3-haiku-20240307-v1-0}. */
    public static String name(String prefix, String tenantTag, String baseModelId) {
        String name = clean(prefix + "-" + tenantTag + "-" + baseModelId);
        if (name.length() <= MAX_NAME_LENGTH) {
            return name;
        }
        // too long: keep the readable start and make it unique again with a hash of the whole
        String head = trimDashes(name.substring(0, MAX_NAME_LENGTH - HASH_CHARS - 1));
        return head + "-" + sha256(tenantTag + "\n" + baseModelId).substring(0, HASH_CHARS);
    }

    public static String clientRequestToken(String tenantTag, String baseModelId) {
        return "btp-" + sha256(tenantTag + "\n" + baseModelId);
    }

    /** Every run of other characters becomes one '-': the pattern allows no two separators in a row. */
    private static String clean(String text) {
        return trimDashes(text.replaceAll("[^0-9a-zA-Z]+", "-"));
    }

    private static String trimDashes(String text) {
        return text.replaceAll("^-+|-+$", "");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
