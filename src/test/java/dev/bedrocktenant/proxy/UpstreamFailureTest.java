package dev.bedrocktenant.proxy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;

import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;

/** Bedrock that cannot be reached is a ServiceUnavailableException, promptly — never a hang or a 500. */
@QuarkusTest
@TestProfile(UpstreamFailureTest.NothingListening.class)
@QuarkusTestResource(TestTenantsFile.class)
class UpstreamFailureTest {

    /** Port 1 on loopback: nothing listens there, so connecting is refused at once. */
    public static class NothingListening implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.upstream-url", "http://127.0.0.1:1");
        }
    }

    @TestHTTPResource("/")
    URL proxy;

    @Test
    void unreachableBedrockIsAServiceUnavailableException() {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "acme")),
                new BedrockClients.SentBody())) {
            ServiceUnavailableException unavailable = assertThrows(ServiceUnavailableException.class,
                    () -> bedrock.converse(BedrockCalls.converse(HAIKU, "Hi")));
            assertEquals(503, unavailable.statusCode());
            assertTrue(unavailable.getMessage().contains("http://127.0.0.1:1"), unavailable.getMessage());
        }
    }
}
