package dev.bedrocktenant.tenant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantDirectoryTest {

    private static final String ONE = "tenants:\n  acme: { accessKeys: [ AKIAACMEEXAMPLE00001 ] }\n";
    private static final String TWO = ONE + "  globex: { accessKeys: [ AKIAGLOBEXEXAMPLE001 ] }\n";

    @TempDir
    Path dir;
    private Vertx vertx;
    private TenantDirectory directory;

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

    private TenantDirectory directory(Path file, UnknownTenantPolicy policy) {
        directory = new TenantDirectory(vertx, file, Duration.ofMillis(50), policy, TestTenants.file());
        return directory;
    }

    @Test
    void picksUpChangesAndKeepsTheLastGoodFileWhenBroken() throws Exception {
        Path file = Files.writeString(dir.resolve("tenants.yaml"), ONE);
        TenantDirectory directory = directory(file, UnknownTenantPolicy.REJECT);
        directory.start();
        assertEquals(1, directory.current().size());

        Files.writeString(file, TWO);
        await().atMost(Duration.ofSeconds(5)).until(() -> directory.current().byId("globex").isPresent());
        assertEquals("globex", directory.current().byAccessKeyId("AKIAGLOBEXEXAMPLE001").orElseThrow().tenant().id());

        Tenants good = directory.current();
        Files.writeString(file, TWO + "  initech: { accessKeys: [ AKIAACMEEXAMPLE00001 ] }\n"); // duplicate key
        Thread.sleep(500);
        assertTrue(directory.current() == good, "a broken file must leave the last good tenants in place");

        Files.writeString(file, "tenants:\n  initech: {}\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> directory.current().byId("initech").isPresent());
        assertEquals(1, directory.current().size());
    }

    @Test
    void aMissingFileStartsEmptyAndIsLoadedOnceCreated() throws Exception {
        Path file = dir.resolve("later.yaml");
        TenantDirectory directory = directory(file, UnknownTenantPolicy.REJECT);
        directory.start();
        assertEquals(0, directory.current().size());

        Files.writeString(file, ONE);
        await().atMost(Duration.ofSeconds(5)).until(() -> directory.current().byId("acme").isPresent());
    }

    @Test
    void anInvalidFileAtStartUpFailsStartUp() throws Exception {
        Path file = Files.writeString(dir.resolve("tenants.yaml"), "tenants: { acme: { limits: 5 } }");
        InvalidTenantsFile e = assertThrows(InvalidTenantsFile.class, () -> directory(file, UnknownTenantPolicy.REJECT).start());
        assertTrue(e.getMessage().contains("tenant acme.limits"), e.getMessage());
    }

    @Test
    void theDefaultTenantMustExistAtStartUpAndStayDefined() throws Exception {
        UnknownTenantPolicy toGlobex = UnknownTenantPolicy.parse("default:globex");
        Path file = Files.writeString(dir.resolve("tenants.yaml"), ONE);
        assertThrows(IllegalStateException.class, () -> directory(file, toGlobex).start());
        directory.stop();

        Files.writeString(file, TWO);
        TenantDirectory directory = directory(file, toGlobex);
        directory.start();
        Files.writeString(file, "tenants:\n  globex-renamed: {}\n");
        Thread.sleep(500);
        assertTrue(directory.current().byId("globex").isPresent(), "a file dropping the default tenant is not installed");
    }
}
