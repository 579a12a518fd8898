package dev.bedrocktenant.budget.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bedrocktenant.budget.AlertLevel;
import dev.bedrocktenant.budget.LevelChange;
import dev.bedrocktenant.budget.Period;

/** Level changes as AlertLevels fires them, and what a receiver must find in an alert's JSON. */
final class Alerts {

    static final Instant AT = Instant.parse("2026-12-03T18:09:48.250Z");
    static final Set<String> FIELDS = Set.of("tenant", "level", "previousLevel", "period", "usedUsd", "budgetUsd", "ratio",
            "at", "text");
    /** Reads numbers as exactly as they were written. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();

    private Alerts() {
    }

    static LevelChange daily(String tenant, AlertLevel previous, AlertLevel level, String usedUsd, String budgetUsd) {
        BigDecimal used = new BigDecimal(usedUsd);
        BigDecimal budget = new BigDecimal(budgetUsd);
        return new LevelChange(tenant, level, previous, Period.DAILY, used, budget, used.divide(budget, MathContext.DECIMAL128), AT);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Exactly the alert's fields, each as the change says. */
    static void assertDescribes(LevelChange change, String json) {
        JsonNode alert = parse(json);
        List<String> names = new ArrayList<>();
        alert.fieldNames().forEachRemaining(names::add);
        assertEquals(FIELDS, Set.copyOf(names), json);
        assertEquals(FIELDS.size(), names.size(), json);
        assertEquals(change.tenant(), alert.get("tenant").textValue());
        assertEquals(change.level().label(), alert.get("level").textValue());
        assertEquals(change.previousLevel().label(), alert.get("previousLevel").textValue());
        assertEquals(change.period().label, alert.get("period").textValue());
        assertEquals(0, change.usedUsd().compareTo(new BigDecimal(alert.get("usedUsd").textValue())), json);
        assertEquals(0, change.budgetUsd().compareTo(new BigDecimal(alert.get("budgetUsd").textValue())), json);
        assertTrue(alert.get("ratio").isNumber(), json);
        assertEquals(0, change.ratio().compareTo(alert.get("ratio").decimalValue()), json);
        assertEquals(change.at(), Instant.parse(alert.get("at").textValue()));
        assertTrue(alert.get("at").textValue().endsWith("Z"), "UTC: " + json);
        assertTrue(alert.get("text").textValue().contains("tenant " + change.tenant() + " "), json);
    }
}
