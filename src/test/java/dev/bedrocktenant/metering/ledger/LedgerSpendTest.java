package dev.bedrocktenant.metering.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import dev.bedrocktenant.metering.TestUsages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The month's day files summed per tenant, as of 2026-12-03 12:00 UTC. */
class LedgerSpendTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @TempDir
    Path dir;

    static String spent(String tenant, String ts, String cost) {
        return LedgerLine.encode(TestUsages.usage("r-" + tenant + "-" + ts, Instant.parse(ts), tenant, TestUsages.HAIKU,
                new BigDecimal(cost))) + "\n";
    }

    static String reset(Adjustment adjustment, String tenant, String ts) {
        return LedgerLine.encode(LedgerEntry.of(adjustment.line(tenant, "r-reset-" + ts, Instant.parse(ts)))) + "\n";
    }

    private void day(String day, String... lines) throws IOException {
        Files.writeString(new DayFiles(dir).pathOf(LocalDate.parse(day)), String.join("", lines));
    }

    @Test
    void sumsTodayAndThisMonthPerTenantForgettingWhatCameBeforeAResetOfThatPeriod() throws IOException {
        day("2026-11-30", spent("acme", "2026-11-30T23:59:59.999Z", "5")); // last month
        day("2026-12-01", spent("acme", "2026-12-01T08:00:00Z", "1.00"), spent("globex", "2026-12-01T08:00:00Z", "2.00"),
                spent("hooli", "2026-12-01T09:00:00Z", "4"));
        day("2026-12-02", spent("acme", "2026-12-02T08:00:00Z", "0.5"),
                reset(Adjustment.RESET_MONTHLY, "globex", "2026-12-02T09:00:00Z"),
                spent("globex", "2026-12-02T10:00:00Z", "0.25"));
        day("2026-12-03", spent("acme", "2026-12-03T08:00:00Z", "0.1"),
                reset(Adjustment.RESET_DAILY, "acme", "2026-12-03T09:00:00Z"),
                reset(Adjustment.RESET_MINUTE, "acme", "2026-12-03T09:00:01Z"),
                spent("acme", "2026-12-03T10:00:00Z", "0.01"),
                spent("globex", "2026-12-03T10:00:00Z", "0.001"),
                reset(Adjustment.RESET_DAILY, "hooli", "2026-12-03T10:00:00Z"),
                reset(Adjustment.RESET_DAILY, "initech", "2026-12-03T10:00:00Z"),
                "{\"ts\":\"2026-12-03T11:00:00Z\",\"tenant\":\"acme\",\"cos"); // torn by a crash: skipped
        day("2026-12-04", spent("acme", "2026-12-04T00:00:00Z", "100")); // a clock ahead of ours: not yet

        Map<String, LedgerSpend.Spend> spend = LedgerSpend.read(dir, NOW);

        assertEquals(Map.of(
                "acme", new LedgerSpend.Spend(new BigDecimal("0.01"), new BigDecimal("1.61")),
                "globex", new LedgerSpend.Spend(new BigDecimal("0.001"), new BigDecimal("0.251")),
                "hooli", new LedgerSpend.Spend(BigDecimal.ZERO, new BigDecimal("4"))), spend);
    }

    @Test
    void aMonthlyResetLeavesTodaysSpendAsItIs() throws IOException {
        day("2026-12-03", spent("acme", "2026-12-03T08:00:00Z", "0.3"),
                reset(Adjustment.RESET_MONTHLY, "acme", "2026-12-03T09:00:00Z"),
                spent("acme", "2026-12-03T10:00:00Z", "0.2"));

        assertEquals(new LedgerSpend.Spend(new BigDecimal("0.5"), new BigDecimal("0.2")), LedgerSpend.read(dir, NOW).get("acme"));
    }

    @Test
    void noLedgerYetIsNoSpend() throws IOException {
        assertEquals(Map.of(), LedgerSpend.read(dir.resolve("not-created-yet"), NOW));
    }
}
