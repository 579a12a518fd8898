package dev.bedrocktenant.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives each Quarkus test run its own writable copy of the test tenants file, so a test can edit
 * it (hot reload) without touching the source tree.
 */
public class TestTenantsFile implements QuarkusTestResourceLifecycleManager {

    private static Path file;

    @Override
    public Map<String, String> start() {
        try (InputStream in = TestTenantsFile.class.getResourceAsStream("/tenants-test.yaml")) {
            file = Files.createTempFile("tenants-", ".yaml");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("proxy.tenants-file", file.toString());
    }

    @Override
    public void stop() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file; nothing to do
        }
    }

    public static Path path() {
        return file;
    }
}
