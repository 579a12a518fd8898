package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where tenants' counters live: this proxy's memory, or Redis for a fleet of sidecars. Each operation is atomic
 * for its tenant, so concurrent requests never both take the last room.
 */
public interface StateStore {

    /**
     * Admits a claim while every limit has room — what the tenant has used (or sent, or spent) plus what its
     * requests in flight have reserved is under the limit — and then reserves the claim's estimate and one
     * request in flight. An alert-only claim is admitted and reserved whatever the counters say, with the
     * limit it is over named.
     */
    CompletionStage<Decision> admit(Claim claim);

    /**
     * Replaces an admitted claim's reservation with what the request used, and ends its time in flight. The
     * tokens count in the minute the claim was made; the spend in the day and month the request ended.
     */
    CompletionStage<TenantCounters> settle(Claim claim, long usedTokens, BigDecimal usedUsd, Instant endedAt);

    CompletionStage<TenantCounters> counters(String tenant, Instant at);

    /**
     * Forgets the tenant's spend of the period holding {@code at} (its reservations in flight stay), or with
     * no period its current minute's requests and tokens.
     */
    CompletionStage<TenantCounters> reset(String tenant, Optional<Period> period, Instant at);

    /**
     * Records the tenant's current alert level and answers the one it had when that differs: across a fleet
     * sharing the store, exactly one caller learns of each change.
     */
    CompletionStage<Optional<AlertLevel>> recordLevel(String tenant, AlertLevel level);

    /** Where the counters live, as the admin view shows it. */
    String where();
}
