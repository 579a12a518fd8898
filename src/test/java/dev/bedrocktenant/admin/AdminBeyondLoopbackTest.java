package dev.bedrocktenant.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.util.Map;

import dev.bedrocktenant.testing.RawHttp;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Bound beyond loopback with no admin token: the admin API and metrics answer nobody; Bedrock traffic and health do. */
@QuarkusTest
@TestProfile(AdminBeyondLoopbackTest.AllInterfacesNoToken.class)
@QuarkusTestResource(TestTenantsFile.class)
class AdminBeyondLoopbackTest {

    public static class AllInterfacesNoToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.host", "0.0.0.0", "quarkus.http.test-host", "0.0.0.0");
        }
    }

    @TestHTTPResource("/")
    URL proxy;

    @Test
    void theAdminApiAndMetricsAreRefusedWithoutAToken() throws IOException {
        for (String path : new String[] {"/admin/usage", "/admin/limits", "/admin/profiles", "/metrics"}) {
            RawHttp.Response response = RawHttp.exchange(proxy, "GET", path, Map.of("Authorization", "Bearer guess"), "");
            assertEquals(403, response.status(), path);
            assertEquals("AccessDeniedException", response.header("x-amzn-ErrorType"), path);
            assertTrue(response.body().contains("proxy.admin.token") && response.body().contains("beyond loopback"),
                    response.body());
        }
        RawHttp.Response reset = RawHttp.exchange(proxy, "POST", "/admin/limits/reset?tenant=acme&period=daily", Map.of(), "");
        assertEquals(403, reset.status());
    }

    @Test
    void bedrockTrafficAndHealthAreServed() throws IOException {
        assertEquals(200, RawHttp.exchange(proxy, "GET", "/q/health/ready", Map.of(), "").status());
        RawHttp.Response converse = RawHttp.exchange(proxy, "POST", "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
                Map.of("X-Tenant-Id", "acme", "Content-Type", "application/json"),
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}");
        assertEquals(200, converse.status(), converse.body());
    }
}
