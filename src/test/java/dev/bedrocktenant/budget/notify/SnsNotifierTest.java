package dev.bedrocktenant.budget.notify;

import static dev.bedrocktenant.budget.AlertLevel.GREEN;
import static dev.bedrocktenant.budget.AlertLevel.RED;
import static dev.bedrocktenant.budget.AlertLevel.YELLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.budget.LevelChange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The SNS notifier with the real SDK async client, against {@link FakeSns}. */
class SnsNotifierTest {

    static final String TOPIC = "arn:aws:sns:eu-west-1:111122223333:bedrock-alerts";

    final FakeSns sns = new FakeSns();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final NotifierCounts counts = new NotifierCounts(registry, "sns");
    Notifiers notifiers;

    @AfterEach
    void tearDown() {
        if (notifiers != null) {
            notifiers.close();
        }
        sns.close();
    }

    Notifiers notifiers(int maxAttempts) {
        SnsTopic topic = SnsTopic.create(TOPIC, Optional.of(sns.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDNOTIFYTEST000001", "notify-test-secret")),
                Duration.ofSeconds(5));
        notifiers = new Notifiers(List.of(topic), new DeliverySettings(10, maxAttempts, Duration.ofMillis(20),
                Duration.ofMillis(100)), registry);
        return notifiers;
    }

    @Test
    void eachChangeIsExactlyOnePublishToTheTopicSignedForSnsInTheTopicsRegion() {
        Notifiers n = notifiers(3);
        LevelChange yellow = Alerts.daily("acme", GREEN, YELLOW, "7.5", "10.00");
        LevelChange red = Alerts.daily("acme", YELLOW, RED, "10.02", "10.00");

        n.onLevelChange(yellow);
        n.onLevelChange(red);

        Awaitility.await().until(() -> counts.sent() == 2);
        List<FakeSns.Publish> publishes = sns.publishes();
        assertEquals(2, publishes.size(), "one Publish per change, no more");
        assertEquals(2, sns.requests());
        for (FakeSns.Publish p : publishes) {
            assertEquals(TOPIC, p.topicArn());
            assertTrue(p.contentType().startsWith("application/x-www-form-urlencoded"), p.contentType());
            assertTrue(p.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDNOTIFYTEST000001/"), p.authorization());
            assertTrue(p.authorization().contains("/eu-west-1/sns/aws4_request"), p.authorization());
        }
        Alerts.assertDescribes(yellow, publishes.get(0).message());
        Alerts.assertDescribes(red, publishes.get(1).message());
        assertEquals(AlertMessage.of(red).json(), publishes.get(1).message(), "the webhook's JSON");
        assertEquals("Bedrock tenant acme: yellow", publishes.get(0).subject());
        assertEquals("Bedrock tenant acme: red", publishes.get(1).subject());
        assertEquals(Map.of("tenant", "acme", "level", "red"), publishes.get(1).attributes());
    }

    @Test
    void aServerErrorIsRetriedAndAnAuthorizationErrorIsNot() {
        Notifiers n = notifiers(3);
        sns.failNext(FakeSns.Error.INTERNAL);

        n.onLevelChange(Alerts.daily("acme", GREEN, YELLOW, "7", "10"));

        Awaitility.await().until(() -> counts.sent() == 1);
        assertEquals(2, sns.requests());
        assertEquals(1, sns.publishes().size());

        sns.failNext(FakeSns.Error.AUTHORIZATION);
        n.onLevelChange(Alerts.daily("acme", YELLOW, RED, "10", "10"));

        Awaitility.await().until(() -> counts.dropped("not_retryable") == 1);
        assertEquals(3, sns.requests(), "a 403 is not retried");
        assertEquals(1, sns.publishes().size());
    }
}
