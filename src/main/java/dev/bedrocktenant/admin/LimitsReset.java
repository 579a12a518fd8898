package dev.bedrocktenant.admin;

import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import dev.bedrocktenant.budget.AlertLevels;
import dev.bedrocktenant.budget.StateStore;
import dev.bedrocktenant.budget.TenantCounters;
import dev.bedrocktenant.metering.ledger.Adjustment;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import dev.bedrocktenant.tenant.Tenant;
import org.jboss.logging.Logger;

/**
 * An administrator's reset of a tenant's spend or minute window. Applied only once its adjustment line is in
 * the ledger, so that a rebuild from the ledger after a restart applies it too; then the tenant's level moves
 * (and a change is announced as any other).
 */
final class LimitsReset {

    private static final Logger LOG = Logger.getLogger(LimitsReset.class);

    private final UsageLedger ledger;
    private final StateStore store;
    private final AlertLevels levels;

    LimitsReset(UsageLedger ledger, StateStore store, AlertLevels levels) {
        this.ledger = ledger;
        this.store = store;
        this.levels = levels;
    }

    /**
     * @param by           who asked, for the log: the caller's address (the token is shared, and never logged)
     * @param continueOn   where the ledger hands back a line it had to queue
     * @return the tenant's counters after the reset; fails with the ledger's failure, nothing reset
     */
    CompletionStage<TenantCounters> reset(Tenant tenant, Adjustment adjustment, String requestId, String by, Instant at,
                                          Executor continueOn) {
        return store.counters(tenant.id(), at).thenCompose(before -> ledger
                .append(adjustment.line(tenant.id(), requestId, at), () -> continueOn)
                .thenCompose(written -> store.reset(tenant.id(), adjustment.period, at))
                .thenApply(after -> {
                    LOG.infof("limits reset tenant=%s reset=%s requestId=%s by=%s before: requests=%d tokens=%d"
                            + " spentTodayUsd=%s spentThisMonthUsd=%s", tenant.id(), adjustment.label, requestId, by,
                            before.requests(), before.tokens(), before.spentToday().toPlainString(),
                            before.spentThisMonth().toPlainString());
                    levels.update(tenant, after, at);
                    return after;
                }));
    }
}
