package dev.bedrocktenant.metering.ledger;

import static dev.bedrocktenant.metering.ledger.LedgerSpendTest.reset;
import static dev.bedrocktenant.metering.ledger.LedgerSpendTest.spent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import dev.bedrocktenant.budget.AlertLevels;
import dev.bedrocktenant.budget.Claim;
import dev.bedrocktenant.budget.Decision;
import dev.bedrocktenant.budget.Estimate;
import dev.bedrocktenant.budget.MemoryStateStore;
import dev.bedrocktenant.budget.RecordedLevelChanges;
import dev.bedrocktenant.budget.TenantCounters;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.Tenants;
import dev.bedrocktenant.tenant.TenantsFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start after a crash: the spend of today and this month comes back from the day files and from what the
 * crash journal still held, so the first request over a budget is refused, and levels are right without any
 * change being announced.
 */
class BudgetRebuildTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Tenants TENANTS = new TenantsFile(name -> Optional.empty()).parse("""
            tenants:
              acme:
                budget: { dailyUsd: "1.00", monthlyUsd: "100" }
              globex:
                budget: { dailyUsd: "1.00" }
              hooli:
                limits: { requestsPerMinute: 10 }
            """);

    @TempDir
    Path dir;
    private final MemoryStateStore store = new MemoryStateStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordedLevelChanges changes = new RecordedLevelChanges();
    private final AlertLevels levels = new AlertLevels(store, () -> List.of(new BigDecimal("0.7"), new BigDecimal("0.9"),
            BigDecimal.ONE), registry, changes);

    @Test
    void todaysAndThisMonthsSpendIsKnownAfterACrashJournalLinesIncluded() throws Exception {
        Files.writeString(new DayFiles(dir).pathOf(LocalDate.parse("2026-12-01")), spent("acme", "2026-12-01T10:00:00Z", "20"));
        Files.writeString(new DayFiles(dir).pathOf(LocalDate.parse("2026-12-03")), spent("acme", "2026-12-03T09:00:00Z", "0.6")
                + spent("globex", "2026-12-03T09:00:00Z", "0.9") + reset(Adjustment.RESET_DAILY, "globex", "2026-12-03T10:00:00Z")
                + spent("globex", "2026-12-03T10:30:00Z", "0.1"));
        // what the writer had not moved to the day file when the process died
        LedgerJournal journal = LedgerJournal.open(dir, 64 * 1024);
        assertTrue(journal.append(LocalDate.parse("2026-12-03"),
                spent("acme", "2026-12-03T11:00:00Z", "0.45").getBytes(StandardCharsets.UTF_8)));
        journal.unmap();

        try (UsageLedger ledger = new UsageLedger(TestLedgerConfig.in(dir), new SimpleMeterRegistry())) {
            BudgetRebuild.rebuild(ledger.dir(), store, levels, TENANTS, NOW);
        }

        TenantCounters acme = store.counters("acme", NOW).toCompletableFuture().join();
        assertEquals(new BigDecimal("1.05"), acme.spentToday());
        assertEquals(new BigDecimal("21.05"), acme.spentThisMonth());
        assertEquals(new BigDecimal("0.1"), store.counters("globex", NOW).toCompletableFuture().join().spentToday());

        Decision next = store.admit(claim("acme")).toCompletableFuture().join();
        assertFalse(next.admitted(), "over its daily budget from the first request");
        assertEquals(Optional.of("dailyUsd"), next.over());
        assertTrue(store.admit(claim("globex")).toCompletableFuture().join().admitted(), "its spend before the reset is forgotten");
    }

    @Test
    void levelsAndGaugesAreRightFromTheStartWithoutAnnouncingAChange() throws Exception {
        Files.writeString(new DayFiles(dir).pathOf(LocalDate.parse("2026-12-03")), spent("acme", "2026-12-03T09:00:00Z", "1.2"));

        BudgetRebuild.rebuild(dir, store, levels, TENANTS, NOW);

        assertEquals(3.0, registry.get("bedrock_tenant_alert_level").tag("tenant", "acme").gauge().value(), "red");
        assertEquals(0.0, registry.get("bedrock_tenant_alert_level").tag("tenant", "globex").gauge().value(), "green, shown");
        assertEquals(1.2, registry.get("bedrock_tenant_budget_used_ratio").tags("tenant", "acme", "period", "daily").gauge().value(), 1e-9);
        assertTrue(registry.find("bedrock_tenant_alert_level").tag("tenant", "hooli").gauges().isEmpty(), "no budget, no gauge");
        assertEquals(List.of(), changes.fired(), "the level before the restart was announced then");

        // the tenant's next settled request moves from the restored level, not from green
        levels.update(TENANTS.byId("acme").orElseThrow(), store.counters("acme", NOW).toCompletableFuture().join(), NOW);
        assertEquals(List.of(), changes.fired());
    }

    private static Claim claim(String tenant) {
        Tenant t = TENANTS.byId(tenant).orElseThrow();
        return Claim.of(t, new Estimate(10, 10, new BigDecimal("0.0001")), NOW);
    }
}
