package dev.bedrocktenant.budget.notify;

import static dev.bedrocktenant.budget.AlertLevel.GREEN;
import static dev.bedrocktenant.budget.AlertLevel.ORANGE;
import static dev.bedrocktenant.budget.AlertLevel.RED;
import static dev.bedrocktenant.budget.AlertLevel.YELLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bedrocktenant.budget.LevelChange;
import org.junit.jupiter.api.Test;

class AlertMessageTest {

    @Test
    void aRiseReadsAsReachedWithTheExactAmountsAndTheRatioInPercent() {
        LevelChange change = Alerts.daily("acme", YELLOW, RED, "10.02", "10.00");
        AlertMessage message = AlertMessage.of(change);

        Alerts.assertDescribes(change, message.json());
        JsonNode alert = Alerts.parse(message.json());
        assertEquals(":red_circle: tenant acme reached red: 10.02 of 10.00 USD daily budget (100.2 %)",
                alert.get("text").textValue());
        assertEquals("10.02", alert.get("usedUsd").textValue());
        assertEquals("10", alert.get("budgetUsd").textValue(), "plain, without trailing zeros, as in the ledger");
        assertEquals("1.002", alert.get("ratio").toString());
        assertEquals("2026-12-03T18:09:48.250Z", alert.get("at").textValue());
        assertEquals("Bedrock tenant acme: red", message.subject());
    }

    @Test
    void aFallReadsAsBackToAndSmallAmountsKeepEveryDigit() {
        LevelChange change = Alerts.daily("acme", RED, GREEN, "0.000431", "50");
        JsonNode alert = Alerts.parse(AlertMessage.of(change).json());

        assertEquals(":large_green_circle: tenant acme is back to green: 0.000431 of 50.00 USD daily budget (0.0 %)",
                alert.get("text").textValue());
        assertEquals("0.000431", alert.get("usedUsd").textValue());
        assertEquals("0.00000862", alert.get("ratio").toString(), "a plain number, never 8.62E-6");
    }

    @Test
    void nothingSpentIsZeroNotAZeroWithAScale() {
        JsonNode alert = Alerts.parse(AlertMessage.of(Alerts.daily("acme", YELLOW, GREEN, "0.000", "10")).json());

        assertEquals("0", alert.get("usedUsd").textValue());
        assertEquals("0", alert.get("ratio").toString());
    }

    @Test
    void theSubjectOfTheLongestTenantIdStillNamesTheLevelWithinSnsLimit() {
        String tenant = "t".repeat(128);
        String subject = AlertMessage.of(Alerts.daily(tenant, YELLOW, ORANGE, "9", "10")).subject();

        assertTrue(subject.length() <= 100, subject.length() + ": " + subject);
        assertTrue(subject.startsWith("Bedrock tenant ttt"), subject);
        assertTrue(subject.endsWith("...: orange"), subject);
        assertTrue(subject.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable ASCII only: " + subject);
    }
}
