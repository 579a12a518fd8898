package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import dev.bedrocktenant.budget.AlertLevels;
import dev.bedrocktenant.budget.MemoryStateStore;
import dev.bedrocktenant.budget.StateStore;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantDirectory;
import dev.bedrocktenant.tenant.Tenants;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.ObserverMethod;
import org.jboss.logging.Logger;

/**
 * Before the proxy serves: each tenant's spend of the current UTC day and month, from the usage ledger into
 * the counters kept in memory, so that a restart forgets none of it; then every budgeted tenant's gauges and
 * alert level. Counters kept in a shared store (Redis) outlive one proxy's restart and are left as they are.
 */
@ApplicationScoped
public class BudgetRebuild {

    private static final Logger LOG = Logger.getLogger(BudgetRebuild.class);

    /**
     * After the tenants file is loaded (at the default priority); the ledger is open, so what its crash journal
     * held is in the day files by now. An unreadable ledger stops start-up: better than forgetting the spend.
     */
    void onStart(@Observes @Priority(ObserverMethod.DEFAULT_PRIORITY + 1) StartupEvent event, UsageLedger ledger,
                 StateStore store, AlertLevels levels, TenantDirectory tenants) {
        if (!(store instanceof MemoryStateStore memory)) {
            LOG.infof("tenant counters live in %s: not rebuilt from the usage ledger", store.where());
            return;
        }
        rebuild(ledger.dir(), memory, levels, tenants.current(), Instant.now());
    }

    static void rebuild(Path dir, MemoryStateStore store, AlertLevels levels, Tenants tenants, Instant at) {
        long started = System.nanoTime();
        Map<String, LedgerSpend.Spend> spend;
        try {
            spend = LedgerSpend.read(dir, at);
        } catch (IOException e) {
            throw new UncheckedIOException("usage ledger unreadable, tenants' spend not rebuilt: " + dir.toAbsolutePath(),
                    e);
        }
        spend.forEach((tenant, s) -> store.restore(tenant, at, s.today(), s.thisMonth()));
        for (Tenant tenant : tenants.all()) {
            if (tenant.budget().isPresent()) {
                levels.restore(tenant, store.counters(tenant.id(), at).toCompletableFuture().join());
            }
        }
        LOG.infof("tenant counters rebuilt from the usage ledger dir=%s tenantsWithSpend=%d tookMs=%d",
                dir.toAbsolutePath(), spend.size(), (System.nanoTime() - started) / 1_000_000);
    }
}
