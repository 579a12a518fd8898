package dev.bedrocktenant.proxy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
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
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The build Kubernetes runs (Dockerfile.native: quarkus.management.enabled=true) serves /metrics and health on
 * the management interface only, so that the pod IP can expose them while the Bedrock listener stays on loopback.
 * quarkus.management.enabled is fixed at build time; a test profile re-augments the application, so it applies here.
 */
@QuarkusTest
@TestProfile(ManagementInterfaceTest.ManagementEnabled.class)
@QuarkusTestResource(TestTenantsFile.class)
class ManagementInterfaceTest {

    public static class ManagementEnabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.management.enabled", "true",
                    "proxy.simulator.port", "18868",
                    "proxy.upstream-url", "http://127.0.0.1:18868");
        }
    }

    private static final List<String> MANAGEMENT_PATHS = List.of("/metrics", "/q/health", "/q/health/live", "/q/health/ready");

    @TestHTTPResource("/")
    URL listener;

    /** The management interface's root path (/q/) is not where /metrics lives: only its host and port are used. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void metricsAndHealthAnswerOnTheManagementPort() throws Exception {
        assertNotEquals(listener.getPort(), management.getPort());
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(listener,
                Caller.withHeaders(Map.of("X-Tenant-Id", "acme")), new BedrockClients.SentBody())) {
            bedrock.converse(BedrockCalls.converse(HAIKU, "[[sim:output-tokens=3]]"));
        }

        String metrics = onManagement("/metrics").asString();
        assertTrue(metrics.contains("bedrock_tenant_requests_total{"), metrics);
        for (String health : List.of("/q/health", "/q/health/live", "/q/health/ready")) {
            ExtractableResponse<Response> answer = given().get(managementUrl(health)).then().extract();
            assertEquals(200, answer.statusCode(), health);
            assertEquals("UP", answer.jsonPath().getString("status"), health);
        }
    }

    @Test
    void theBedrockListenerServesNeitherMetricsNorHealth() {
        for (String path : MANAGEMENT_PATHS) {
            ExtractableResponse<Response> answer = given().get(listener.toString().replaceAll("/$", "") + path).then().extract();
            assertEquals(400, answer.statusCode(), path);
            assertEquals("ValidationException", answer.header("x-amzn-ErrorType"), path);
        }
    }

    /** Quarkus' HTTP-server binder would label requests by raw path: one series per model id a caller sends. */
    @Test
    void noMetricIsLabelledWithARequestPath() throws Exception {
        String model = "anthropic.claude-made-up-" + System.nanoTime() + "-v1:0";
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(listener,
                Caller.withHeaders(Map.of("X-Tenant-Id", "acme")), new BedrockClients.SentBody())) {
            try {
                bedrock.converse(BedrockCalls.converse(model, "Hi"));
            } catch (RuntimeException refusedForNoProfile) {
                // what counts is that the request went through the listener
            }
        }
        String metrics = onManagement("/metrics").asString();
        assertTrue(metrics.contains(model), "the proxy's own metrics name the model");
        metrics.lines().filter(line -> line.contains(model))
                .forEach(line -> assertTrue(line.startsWith("bedrock_tenant_"), line));
        assertTrue(metrics.lines().noneMatch(line -> line.startsWith("http_server_requests")), "the HTTP-server binder is off");
    }

    private ExtractableResponse<Response> onManagement(String path) {
        ExtractableResponse<Response> answer = given().get(managementUrl(path)).then().extract();
        assertEquals(200, answer.statusCode(), path);
        return answer;
    }

    private String managementUrl(String path) {
        return "http://" + management.getHost() + ":" + management.getPort() + path;
    }
}
