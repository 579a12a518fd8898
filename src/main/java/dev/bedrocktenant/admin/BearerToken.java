package dev.bedrocktenant.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Checks an {@code Authorization: Bearer …} header against the configured admin token in constant time:
 * both sides are hashed first, so neither the content nor the length of the token leaks through timing.
 */
public final class BearerToken {

    private static final String SCHEME = "bearer ";

    private final Optional<byte[]> expected;

    public BearerToken(Optional<String> token) {
        this.expected = token.filter(value -> !value.isBlank()).map(BearerToken::sha256);
    }

    /** True when no token is configured. */
    public boolean open() {
        return expected.isEmpty();
    }

    public boolean permits(String authorization) {
        if (expected.isEmpty()) {
            return true;
        }
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] given = sha256(authorization.substring(SCHEME.length()).strip());
        return MessageDigest.isEqual(given, expected.get());
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
