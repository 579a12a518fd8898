package dev.bedrocktenant.budget.notify;

import static dev.bedrocktenant.budget.AlertLevel.GREEN;
import static dev.bedrocktenant.budget.AlertLevel.ORANGE;
import static dev.bedrocktenant.budget.AlertLevel.RED;
import static dev.bedrocktenant.budget.AlertLevel.YELLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import dev.bedrocktenant.budget.LevelChange;
import dev.bedrocktenant.testing.CapturedLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook notifier driven as AlertLevels drives it, against a real HTTP receiver. */
class WebhookNotifierTest {

    /** The part of a Slack-style webhook URL that is a credential. */
    static final String TOKEN = "B0000000/XXXXsecretXXXX";

    final FakeWebhook receiver = new FakeWebhook();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final NotifierCounts counts = new NotifierCounts(registry, "webhook");
    Notifiers notifiers;

    @AfterEach
    void tearDown() {
        if (notifiers != null) {
            notifiers.close();
        }
        receiver.close();
    }

    Notifiers notifiers(int queueSize, int maxAttempts, Duration requestTimeout) {
        notifiers = new Notifiers(List.of(new Webhook(receiver.url("/services/T0000/" + TOKEN), requestTimeout)),
                new DeliverySettings(queueSize, maxAttempts, Duration.ofMillis(20), Duration.ofMillis(100)), registry);
        return notifiers;
    }

    @Test
    void eachChangeIsExactlyOnePostOfItsJson() {
        Notifiers n = notifiers(10, 3, Duration.ofSeconds(5));
        LevelChange yellow = Alerts.daily("acme", GREEN, YELLOW, "7.5", "10.00");
        LevelChange red = Alerts.daily("acme", YELLOW, RED, "10.02", "10.00");

        n.onLevelChange(yellow);
        n.onLevelChange(red);

        Awaitility.await().until(() -> counts.sent() == 2);
        List<FakeWebhook.Post> posts = receiver.posts();
        assertEquals(2, posts.size(), "one POST per change, no more");
        assertEquals("/services/T0000/" + TOKEN, posts.get(0).path());
        assertEquals("application/json", posts.get(0).contentType());
        Alerts.assertDescribes(yellow, posts.get(0).body());
        Alerts.assertDescribes(red, posts.get(1).body());
        assertEquals(":red_circle: tenant acme reached red: 10.02 of 10.00 USD daily budget (100.2 %)",
                Alerts.parse(posts.get(1).body()).get("text").textValue());
    }

    @Test
    void aReceiverFailingTwiceGetsTheChangeOnTheThirdAttemptOnceAndBeforeTheNextChange() {
        Notifiers n = notifiers(10, 3, Duration.ofSeconds(5));
        receiver.answerNext(500, 503);
        LevelChange orange = Alerts.daily("acme", YELLOW, ORANGE, "9", "10");
        LevelChange red = Alerts.daily("acme", ORANGE, RED, "10", "10");

        n.onLevelChange(orange);
        n.onLevelChange(red);

        Awaitility.await().until(() -> counts.sent() == 2);
        assertEquals(List.of(500, 503, 200, 200), receiver.posts().stream().map(FakeWebhook.Post::status).toList());
        List<FakeWebhook.Post> delivered = receiver.delivered();
        Alerts.assertDescribes(orange, delivered.get(0).body());
        Alerts.assertDescribes(red, delivered.get(1).body());
        assertEquals(0, counts.dropped("retries_exhausted"));
    }

    @Test
    void aReceiverThatNeverAnswersHoldsNoCallerAndAFullQueueDropsTheOldestWaiting() {
        Notifiers n = notifiers(2, 1, Duration.ofSeconds(3));
        receiver.answerNext(FakeWebhook.NO_ANSWER);
        n.onLevelChange(Alerts.daily("first", GREEN, YELLOW, "7", "10"));
        Awaitility.await().until(() -> receiver.posts().size() == 1); // on the wire, never answered

        long start = System.nanoTime();
        for (String tenant : List.of("second", "third", "fourth", "fifth")) {
            n.onLevelChange(Alerts.daily(tenant, GREEN, YELLOW, "7", "10"));
        }
        Duration firing = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(firing.compareTo(Duration.ofSeconds(1)) < 0, "firing took " + firing);
        assertEquals(2, counts.dropped("queue_full"), "room for two behind the one on the wire");
        // the hanging POST times out, is given up (one attempt), and the two latest changes go out
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> counts.sent() == 2);
        assertEquals(1, counts.dropped("retries_exhausted"));
        assertEquals(List.of("fourth", "fifth"), receiver.delivered().stream()
                .map(p -> Alerts.parse(p.body()).get("tenant").textValue()).toList());
    }

    @Test
    void aRefusedChangeIsNotRetriedAndItsWarningNeverShowsTheUrlsToken() {
        Notifiers n = notifiers(10, 5, Duration.ofSeconds(5));
        receiver.answerNext(404);
        try (CapturedLog log = CapturedLog.of("dev.bedrocktenant.budget.notify")) {
            List<String> logged = log.messages();
            n.onLevelChange(Alerts.daily("acme", GREEN, YELLOW, "7", "10"));

            Awaitility.await().until(() -> counts.dropped("not_retryable") == 1);
            assertEquals(1, receiver.posts().size(), "a 404 is not retried");
            assertEquals(0, counts.sent());
            assertTrue(logged.stream().anyMatch(line -> line.contains("HTTP 404") && line.contains("http://127.0.0.1:")),
                    logged.toString());
            assertFalse(logged.stream().anyMatch(line -> line.contains("secret") || line.contains("T0000")), logged.toString());
        }
    }
}
