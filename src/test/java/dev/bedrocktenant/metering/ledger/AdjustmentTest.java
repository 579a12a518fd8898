package dev.bedrocktenant.metering.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import org.junit.jupiter.api.Test;

class AdjustmentTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:15:30.123Z");

    @Test
    void aResetIsALineOfTheUsualFormatThatUsedNothingAndReadsBackAsTheSameReset() {
        for (Adjustment adjustment : Adjustment.values()) {
            String line = LedgerLine.encode(LedgerEntry.of(adjustment.line("acme", "r-" + adjustment.label, AT)));
            LedgerEntry entry = LedgerEntry.parse(line);

            assertEquals(new LedgerEntry(AT, "r-" + adjustment.label, "acme", "_none", Optional.empty(), adjustment.operation,
                    TokenUsage.NONE, BigDecimal.ZERO, 200, Outcome.SUCCESS, false, 0), entry);
            assertTrue(line.contains("\"costUsd\":\"0\""), line);
            assertEquals(Optional.of(adjustment), Adjustment.of(entry));
            assertEquals(Optional.of(adjustment), Adjustment.byLabel(adjustment.label));
        }
    }

    @Test
    void aRequestIsNoAdjustment() {
        assertEquals(Optional.empty(), Adjustment.of(LedgerEntry.of(TestUsages.usage("r-1", AT))));
        assertEquals(Optional.empty(), Adjustment.byLabel("weekly"));
    }
}
