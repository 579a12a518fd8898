package dev.bedrocktenant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy's settings as a command run from the jar sees them. */
class CommandEnvironmentTest {

    // the pom gives the test JVM the environment variable ACME_SIGNING_SECRET
    private static final String KEY = "acme.signing-secret";

    @AfterEach
    void clear() {
        System.clearProperty(KEY);
    }

    @Test
    void aSettingIsASystemPropertyElseItsEnvironmentVariable() {
        CommandEnvironment system = CommandEnvironment.system();
        assertEquals(Optional.of("acme-test-signing-secret"), system.setting(KEY));
        System.setProperty(KEY, "from-property");
        assertEquals(Optional.of("from-property"), system.setting(KEY));
        assertEquals(Optional.empty(), system.setting("proxy.no-such-setting"));
    }
}
