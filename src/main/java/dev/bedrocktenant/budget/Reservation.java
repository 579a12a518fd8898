package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import org.jboss.logging.Logger;

/**
 * What an admitted request holds of its tenant's limits until it ends: its estimate and its place in flight.
 * Settled once, with the request's {@link Usage}: the estimate is replaced by what it used — or kept, when
 * what it used could not be read.
 */
public final class Reservation {

    private static final Logger LOG = Logger.getLogger(Reservation.class);

    /** A tenant with no limits and no budget holds nothing. */
    public static final Reservation NONE = new Reservation(null, null, null, null);

    private final Tenant tenant;
    private final Claim claim;
    private final StateStore store;
    private final AlertLevels levels;
    private final AtomicBoolean settled = new AtomicBoolean();

    Reservation(Tenant tenant, Claim claim, StateStore store, AlertLevels levels) {
        this.tenant = tenant;
        this.claim = claim;
        this.store = store;
        this.levels = levels;
    }

    /** Off the response's path: the store's answer only moves the tenant's alert level. */
    public void settle(Usage usage) {
        if (claim == null || !settled.compareAndSet(false, true)) {
            return;
        }
        boolean read = usage.tokens().reported();
        long tokens = read ? total(usage.tokens()) : claim.estimate().tokens();
        BigDecimal usd = read ? usage.costUsd() : claim.estimate().costUsd();
        store.settle(claim, tokens, usd, usage.timestamp()).whenComplete((counters, failure) -> {
            if (failure != null) {
                LOG.warnf("settling tenant=%s request_id=%s failed: %s", claim.tenant(), usage.requestId(), failure.toString());
            } else {
                levels.update(tenant, counters, usage.timestamp());
            }
        });
    }

    private static long total(TokenUsage tokens) {
        return tokens.inputTokens().orElse(0) + tokens.outputTokens().orElse(0)
                + tokens.cacheReadTokens().orElse(0) + tokens.cacheWriteTokens().orElse(0);
    }
}
