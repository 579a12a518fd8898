package dev.bedrocktenant.tenant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenants file as a Kubernetes ConfigMap volume presents it: {@code tenants.yaml} is a symlink to
 * {@code ..data/tenants.yaml}, {@code ..data} a symlink to a timestamped directory, and an update writes a new
 * timestamped directory, renames a fresh symlink over {@code ..data} and deletes the old directory (the kubelet's
 * AtomicWriter). The path the proxy watches never changes; only what it resolves to does.
 */
class TenantsConfigMapSwapTest {

    // Same length, so that only the file behind the link tells the versions apart (the stamps also get equal times).
    private static final String ACME = "tenants:\n  acme: { accessKeys: [ AKIAACMEEXAMPLE00001 ] }\n";
    private static final String EMCA = "tenants:\n  emca: { accessKeys: [ AKIAACMEEXAMPLE00001 ] }\n";
    private static final FileTime SAME_TIME = FileTime.fromMillis(1_780_000_000_000L);

    @TempDir
    Path volume;
    private Vertx vertx;
    private TenantDirectory directory;
    private int version;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (directory != null) {
            directory.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void eachSwapOfTheDataLinkIsReloaded() throws Exception {
        Path data = publish(ACME);
        Files.createSymbolicLink(volume.resolve("tenants.yaml"), Path.of("..data/tenants.yaml"));
        directory = new TenantDirectory(vertx, volume.resolve("tenants.yaml"), Duration.ofMillis(50),
                UnknownTenantPolicy.REJECT, TestTenants.file());
        directory.start();
        assertTrue(directory.current().byId("acme").isPresent());

        data = swap(data, EMCA);
        await().atMost(Duration.ofSeconds(5)).until(() -> directory.current().byId("emca").isPresent());
        assertEquals(1, directory.current().size());

        // and back: the new file may even reuse the first one's inode, now free; it differs from the one loaded
        swap(data, ACME);
        await().atMost(Duration.ofSeconds(5)).until(() -> directory.current().byId("acme").isPresent());
        assertEquals(1, directory.current().size());
    }

    /** The first version: a timestamped directory and ..data pointing at it. */
    private Path publish(String content) throws IOException {
        Path dir = timestampedDirectory(content);
        Files.createSymbolicLink(volume.resolve("..data"), dir.getFileName());
        return dir;
    }

    /** An update as the kubelet makes it; returns the new timestamped directory. */
    private Path swap(Path old, String content) throws IOException {
        Path dir = timestampedDirectory(content);
        Path tmp = Files.createSymbolicLink(volume.resolve("..data_tmp"), dir.getFileName());
        Files.move(tmp, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);   // rename(2) over the old link
        try (Stream<Path> files = Files.walk(old)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        return dir;
    }

    private Path timestampedDirectory(String content) throws IOException {
        Path dir = Files.createDirectory(volume.resolve("..2026_12_03_20_00_0" + version++ + ".123456789"));
        Path file = Files.writeString(dir.resolve("tenants.yaml"), content);
        Files.setLastModifiedTime(file, SAME_TIME);
        return dir;
    }
}
