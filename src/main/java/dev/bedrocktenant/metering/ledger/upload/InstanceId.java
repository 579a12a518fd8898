package dev.bedrocktenant.metering.ledger.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Which proxy a ledger directory belongs to, in the bucket's object names: made once and kept in the directory
 * ({@value #FILE_NAME}), so that a restarted pod on the same volume uploads under the same names (and replaces
 * rather than doubles an object it uploaded before), while two proxies, each with a directory of its own, never
 * write the same object. The host name it was made on, for people, then random hex, since pods of one
 * deployment may reuse a host name. Write the file before the first start to choose the id.
 */
public final class InstanceId {

    static final String FILE_NAME = "instance-id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private InstanceId() {
    }

    /** The id kept in {@code dir}, made and kept first when there is none. */
    public static String of(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!VALID.matcher(id).matches()) {
                throw new IOException(file.toAbsolutePath() + " must hold 1 to 128 letters, digits, '.', '_' or '-'");
            }
            return id;
        }
        String id = hostName() + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path written = Files.writeString(dir.resolve(FILE_NAME + ".tmp"), id + "\n", StandardCharsets.UTF_8);
        Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /** The host name with a dash, reduced to what the id allows; empty when there is none. */
    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "";
            }
        }
        String cleaned = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        return cleaned.isEmpty() ? "" : cleaned.substring(0, Math.min(cleaned.length(), 100)) + "-";
    }
}
