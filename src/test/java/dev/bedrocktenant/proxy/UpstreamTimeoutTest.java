package dev.bedrocktenant.proxy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;
import java.util.concurrent.ExecutionException;

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
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;

/**
 * Bedrock that stays silent past the idle timeout — before its answer or in the middle of a stream — is a
 * ServiceUnavailableException naming the timeout.
 */
@QuarkusTest
@TestProfile(UpstreamTimeoutTest.ShortIdleTimeout.class)
@QuarkusTestResource(TestTenantsFile.class)
class UpstreamTimeoutTest {

    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.upstream.idle-timeout", "1s");
        }
    }

    @TestHTTPResource("/")
    URL proxy;

    @Test
    void silentBedrockTimesOutAsServiceUnavailable() {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "acme")),
                new BedrockClients.SentBody())) {
            ServiceUnavailableException unavailable = assertThrows(ServiceUnavailableException.class,
                    () -> bedrock.converse(BedrockCalls.converse(HAIKU, "[[sim:delay-ms=4000]]")));
            assertEquals(503, unavailable.statusCode());
            assertTrue(unavailable.getMessage().contains("1000 ms"), unavailable.getMessage());
        }
    }

    @Test
    void bedrockFallingSilentMidStreamEndsTheStreamWithAServiceUnavailableEvent() throws Exception {
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "acme")),
                new BedrockClients.SentBody())) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> BedrockCalls.converseStream(bedrock,
                    BedrockCalls.converseStream(HAIKU, "Hi [[sim:events=3]] [[sim:pause-ms=60000]]")));
            // the proxy's 1 s idle timeout ended it: the SDK's own read timeout (30 s) would be a client exception
            assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        }
    }
}
