package dev.bedrocktenant.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A dashboard's name as CloudWatch takes it: at most 255 characters of {@code A-Z a-z 0-9 - _}. A wanted name
 * outside these rules (a tenant id with a '.', a long prefix) has each other character replaced by '_', is cut
 * to fit, and ends in a hash of the wanted name, so that {@code a.b} and {@code a_b} still get two dashboards.
 *
 * @param change why the name is not the wanted one, for the table; empty when it is
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html">PutDashboard</a>
 */
record DashboardName(String value, Optional<String> change) {

    static final int MAX_LENGTH = 255;
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9_-]");
    private static final int HASH_HEX_DIGITS = 8;

    static DashboardName of(String wanted) {
        String allowed = NOT_ALLOWED.matcher(wanted).replaceAll("_");
        if (allowed.equals(wanted) && wanted.length() <= MAX_LENGTH) {
            return new DashboardName(wanted, Optional.empty());
        }
        String suffix = "-" + hash(wanted);
        String kept = allowed.substring(0, Math.min(allowed.length(), MAX_LENGTH - suffix.length()));
        String why = allowed.equals(wanted) ? "longer than " + MAX_LENGTH + " characters"
                : "only A-Z a-z 0-9 - _ are allowed";
        return new DashboardName(kept + suffix, Optional.of("name changed from " + wanted + ": " + why));
    }

    private static String hash(String wanted) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(wanted.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
