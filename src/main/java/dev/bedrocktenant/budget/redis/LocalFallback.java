package dev.bedrocktenant.budget.redis;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.bedrocktenant.budget.AlertLevel;
import dev.bedrocktenant.budget.MemoryStateStore;
import dev.bedrocktenant.budget.Period;
import dev.bedrocktenant.budget.TenantCounters;

/**
 * The counters requests are admitted against while Redis does not answer, one set per outage: this proxy's
 * own, in memory, each tenant starting from what Redis last told of it (its spend of the day and month, its
 * alert level), so that a budget used up stays used up. Requests that Redis admitted are not in flight here.
 */
final class LocalFallback {

    final MemoryStateStore store = new MemoryStateStore();
    private final Map<String, TenantCounters> lastSeen;
    private final Map<String, AlertLevel> lastLevels;
    private final Map<String, Boolean> started = new ConcurrentHashMap<>();

    LocalFallback(Map<String, TenantCounters> lastSeen, Map<String, AlertLevel> lastLevels) {
        this.lastSeen = lastSeen;
        this.lastLevels = lastLevels;
    }

    /** The store, with the tenant started from what Redis last said (before any other thread uses it). */
    MemoryStateStore of(String tenant, Instant at) {
        started.computeIfAbsent(tenant, t -> {
            TenantCounters last = lastSeen.get(tenant);
            if (last != null) {
                Instant seen = Instant.ofEpochSecond(last.minute() * 60);
                boolean sameDay = Period.DAILY.keyOf(seen).equals(Period.DAILY.keyOf(at));
                boolean sameMonth = Period.MONTHLY.keyOf(seen).equals(Period.MONTHLY.keyOf(at));
                store.restore(tenant, at, sameDay ? last.spentToday() : BigDecimal.ZERO,
                        sameMonth ? last.spentThisMonth() : BigDecimal.ZERO);
            }
            Optional.ofNullable(lastLevels.get(tenant)).ifPresent(level -> store.recordLevel(tenant, level));
            return Boolean.TRUE;
        });
        return store;
    }

    /** What a request admitted by Redis spent: its reservation and place in flight are Redis's, not here. */
    TenantCounters spent(String tenant, BigDecimal usd, Instant endedAt) {
        MemoryStateStore s = of(tenant, endedAt);
        s.restore(tenant, endedAt, usd, usd);
        return s.counters(tenant, endedAt).toCompletableFuture().join();
    }
}
