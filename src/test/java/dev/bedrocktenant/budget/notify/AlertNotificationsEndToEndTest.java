package dev.bedrocktenant.budget.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.PrometheusText;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * Real spend through the proxy crosses a tenant's thresholds: the webhook and the SNS topic (local fakes) each
 * receive exactly one message per level change. Tenant thrifty has a daily budget of 10 USD, and its model costs
 * 1 USD per output token (src/test/resources/notify/).
 */
@QuarkusTest
@TestProfile(AlertNotificationsEndToEndTest.Notifying.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertNotificationsEndToEndTest {

    static final int SIMULATOR_PORT = 18848;
    static final int WEBHOOK_PORT = 18849;
    static final int SNS_PORT = 18850;
    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:bedrock-alerts";
    static final String MODEL = "test.dollar-per-output-token-v1:0";

    /** Its own ports, tenants, prices and ledger; the shared tenants file is not needed. */
    public static class Notifying implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.simulator.port", String.valueOf(SIMULATOR_PORT),
                    "proxy.upstream-url", "http://127.0.0.1:" + SIMULATOR_PORT,
                    "proxy.unmapped-model", "passthrough",
                    "proxy.tenants-file", Path.of("src/test/resources/notify/tenants.yaml").toAbsolutePath().toString(),
                    "proxy.pricing-file", Path.of("src/test/resources/notify/prices.json").toAbsolutePath().toString(),
                    "proxy.ledger.dir", Path.of("target", "notify-e2e-ledger-" + ProcessHandle.current().pid())
                            .toAbsolutePath().toString(),
                    "proxy.notify.webhook-url", "http://127.0.0.1:" + WEBHOOK_PORT + "/hooks/T0001/e2e-token",
                    "proxy.notify.sns-topic-arn", TOPIC,
                    "proxy.notify.sns-endpoint", "http://127.0.0.1:" + SNS_PORT);
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @TestHTTPResource("/")
    URL proxy;

    FakeWebhook webhook;
    FakeSns sns;

    @BeforeAll
    void startReceivers() {
        webhook = new FakeWebhook(WEBHOOK_PORT);
        sns = new FakeSns(SNS_PORT);
    }

    @AfterAll
    void stopReceivers() {
        webhook.close();
        sns.close();
    }

    /** Allows itself, and uses, {@code outputTokens} output tokens: that many USD. */
    private static ConverseRequest spend(int outputTokens) {
        return ConverseRequest.builder().modelId(MODEL)
                .messages(BedrockCalls.userMessage("[[sim:input-tokens=0]] [[sim:output-tokens=" + outputTokens + "]]"))
                .inferenceConfig(c -> c.maxTokens(outputTokens)).build();
    }

    @Test
    void spendCrossingYellowThenRedSendsOneWebhookPostAndOneSnsPublishPerChange() {
        Instant start = Instant.now();
        try (BedrockRuntimeClient thrifty = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "thrifty")),
                new BedrockClients.SentBody())) {
            thrifty.converse(spend(8)); // 8 of 10 USD: yellow
            Awaitility.await().until(() -> webhook.posts().size() == 1);
            thrifty.converse(spend(2)); // 10 of 10 USD: red
            Awaitility.await().until(() -> webhook.posts().size() == 2 && sns.publishes().size() == 2);
            // no room left: refused, and a refusal moves no level
            assertThrows(ThrottlingException.class, () -> thrifty.converse(spend(1)));
        }

        List<FakeWebhook.Post> posts = webhook.posts();
        assertEquals(2, posts.size());
        JsonNode yellow = Alerts.parse(posts.get(0).body());
        JsonNode red = Alerts.parse(posts.get(1).body());
        assertAlert(yellow, "yellow", "green", "8", "0.8");
        assertAlert(red, "red", "yellow", "10", "1");
        assertEquals(":red_circle: tenant thrifty reached red: 10.00 of 10.00 USD daily budget (100.0 %)", red.get("text").textValue());
        Instant at = Instant.parse(red.get("at").textValue());
        assertTrue(!at.isBefore(start) && !at.isAfter(Instant.now()), "at: " + at);

        List<FakeSns.Publish> publishes = sns.publishes();
        assertEquals(2, publishes.size());
        assertEquals(2, sns.requests());
        assertEquals(List.of(posts.get(0).body(), posts.get(1).body()), publishes.stream().map(FakeSns.Publish::message).toList(),
                "SNS carries the webhook's JSON");
        assertEquals(TOPIC, publishes.get(1).topicArn());
        assertEquals("Bedrock tenant thrifty: red", publishes.get(1).subject());
        assertTrue(publishes.get(1).authorization().contains("/us-east-1/sns/aws4_request"), publishes.get(1).authorization());

        String metrics = RestAssured.get("/metrics").asString();
        for (String destination : List.of("webhook", "sns")) {
            assertEquals(0, BigDecimal.valueOf(2).compareTo(PrometheusText.sum(metrics, "bedrock_tenant_notifications_sent_total",
                    Map.of("destination", destination))), destination);
            assertEquals(0, BigDecimal.ZERO.compareTo(PrometheusText.sum(metrics, "bedrock_tenant_notifications_dropped_total",
                    Map.of("destination", destination))), destination);
        }
        assertTrue(metrics.contains("bedrock_tenant_notifications_dropped_total{destination=\"sns\",reason=\"queue_full\"} 0.0"),
                "drops show as 0 before the first");
        assertEquals(2, webhook.posts().size(), "still one POST per change");
    }

    private static void assertAlert(JsonNode alert, String level, String previous, String usedUsd, String ratio) {
        assertEquals("thrifty", alert.get("tenant").textValue());
        assertEquals(level, alert.get("level").textValue());
        assertEquals(previous, alert.get("previousLevel").textValue());
        assertEquals("daily", alert.get("period").textValue());
        assertEquals(usedUsd, alert.get("usedUsd").textValue());
        assertEquals("10", alert.get("budgetUsd").textValue());
        assertEquals(ratio, alert.get("ratio").toString());
    }
}
