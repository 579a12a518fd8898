package dev.bedrocktenant.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import dev.bedrocktenant.tenant.Tenants;
import dev.bedrocktenant.tenant.TenantsFile;
import org.junit.jupiter.api.Test;

class ListenerExposureTest {

    private static final Tenants CLAIMS_ONLY = new TenantsFile(name -> Optional.empty()).parse("""
            tenants:
              acme: { accessKeys: [ AKIAACMEEXAMPLE00001 ] }
              globex: {}
            """);
    private static final Tenants ONE_VERIFIED = new TenantsFile(name -> Optional.of("a-secret")).parse("""
            tenants:
              acme: { accessKeys: [ { id: AKIAACMEEXAMPLE00002, secretEnv: ACME_SECRET } ] }
              globex: {}
            """);

    @Test
    void loopbackAddressesAndNamesAreTold() {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1"}) {
            assertFalse(new ListenerExposure(host).beyondLoopback(), host);
        }
        for (String host : new String[] {"0.0.0.0", "::", "10.1.2.3", "no-such-host.invalid"}) {
            assertTrue(new ListenerExposure(host).beyondLoopback(), host);
        }
    }

    @Test
    void beyondLoopbackWithoutAnyVerifiedCallerIsWarnedAboutLoudly() {
        String warning = new ListenerExposure("0.0.0.0").openWarning(CLAIMS_ONLY).orElseThrow();
        assertTrue(warning.startsWith("LISTENING BEYOND LOOPBACK WITHOUT CALLER VERIFICATION") && warning.contains("0.0.0.0"),
                warning);
        assertTrue(new ListenerExposure("0.0.0.0").openWarning(ONE_VERIFIED).isEmpty(), "a tenant proves who it is");
        assertTrue(new ListenerExposure("127.0.0.1").openWarning(CLAIMS_ONLY).isEmpty(), "loopback: the application alone");
    }
}
