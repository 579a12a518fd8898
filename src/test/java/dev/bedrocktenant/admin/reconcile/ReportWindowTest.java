package dev.bedrocktenant.admin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ReportWindowTest {

    @Test
    void datesCoverWholeDays() {
        ReportWindow november = ReportWindow.parse("2026-11-01", "2026-11-30");
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), november.from());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), november.to());
        assertTrue(november.minuteAligned());
    }

    @Test
    void instantsAreTakenAsGiven() {
        ReportWindow w = ReportWindow.parse("2026-11-22T10:00:00Z", "2026-11-22T10:30:15Z");
        assertEquals(Instant.parse("2026-11-22T10:30:15Z"), w.to());
        assertFalse(w.minuteAligned());
    }

    @Test
    void emptyOrReversedWindowsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReportWindow.parse("2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z"));
        assertThrows(IllegalArgumentException.class, () -> ReportWindow.parse("2026-11-23", "2026-11-21"));
    }

    @Test
    void periodCoversTheWindowInUnitsCloudWatchStillKeeps() {
        Instant now = Instant.parse("2026-11-24T00:00:00Z");
        assertEquals(86_400, BedrockMetricTotals.period(ReportWindow.parse("2026-11-22", "2026-11-22"), now));
        assertEquals(120, BedrockMetricTotals.period(ReportWindow.parse("2026-11-23T10:00:00Z", "2026-11-23T10:01:30Z"), now));
        // older than 15 days: multiples of 5 minutes; older than 63 days: of an hour
        assertEquals(300, BedrockMetricTotals.period(ReportWindow.parse("2026-11-01T10:00:00Z", "2026-11-01T10:01:00Z"), now));
        assertEquals(3600, BedrockMetricTotals.period(ReportWindow.parse("2026-08-01T10:00:00Z", "2026-08-01T10:01:00Z"), now));
    }
}
