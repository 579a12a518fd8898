package dev.bedrocktenant.budget.redis;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.bedrocktenant.budget.AlertLevel;
import dev.bedrocktenant.budget.Claim;
import dev.bedrocktenant.budget.Decision;
import dev.bedrocktenant.budget.MemoryStateStore;
import dev.bedrocktenant.budget.Period;
import dev.bedrocktenant.budget.StateStore;
import dev.bedrocktenant.budget.TenantCounters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import org.jboss.logging.Logger;

/**
 * Every sidecar's counters in one Redis, so that a fleet enforces one limit and one budget per tenant. When
 * Redis does not answer in time, requests are admitted under this proxy's own limits ({@link LocalFallback}),
 * and what they count is kept ({@link LocalCounts}); a check off the request path asks Redis every
 * check-interval whether it is back, adds those counts to it, and switches back.
 *
 * <p>A request admitted by Redis and settled while it is away releases its reservation in Redis on the merge,
 * like the rest; one admitted here is settled through the local counts even once Redis is back, so that its
 * release never reaches Redis before its admission.
 */
public final class RedisStateStore implements StateStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisStateStore.class);
    static final String UP = "bedrock_tenant_state_store_up";

    private final RedisCounters redis;
    private final LocalCounts counted = new LocalCounts();
    private final Map<String, TenantCounters> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, AlertLevel> lastLevels = new ConcurrentHashMap<>();
    /** Where requests are admitted while Redis is away; null while it answers. */
    private final AtomicReference<LocalFallback> fallback = new AtomicReference<>();
    /** Claims admitted without Redis, by identity, with the fallback that admitted them. */
    private final Map<Claim, LocalFallback> admittedHere = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Whether the log has said that Redis does not answer, since it last did. */
    private final AtomicBoolean awayLogged = new AtomicBoolean();
    private final AtomicBoolean checking = new AtomicBoolean();
    private final Vertx vertx;
    private final long timer;

    public RedisStateStore(Redis redis, RedisStateConfig config, Vertx vertx, MeterRegistry registry) {
        this.redis = new RedisCounters(redis, config);
        this.vertx = vertx;
        Gauge.builder(UP, fallback, f -> f.get() == null ? 1 : 0)
                .description("1 while the shared state store (Redis) answers; 0 while limits are enforced per proxy")
                .register(registry);
        // away until Redis first answers: a request never waits for a connection still being made
        fallback.set(new LocalFallback(lastSeen, lastLevels));
        this.timer = vertx.setPeriodic(0, config.checkInterval().toMillis(), id -> check());
    }

    @Override
    public CompletionStage<Decision> admit(Claim claim) {
        LocalFallback local = fallback.get();
        if (local != null) {
            return CompletableFuture.completedFuture(admitHere(local, claim));
        }
        return redis.admit(claim).handle((decision, failure) -> {
            if (failure != null) {
                return admitHere(down(failure), claim);
            }
            lastSeen.put(claim.tenant(), decision.counters());
            return decision;
        });
    }

    private Decision admitHere(LocalFallback local, Claim claim) {
        Decision decision = local.of(claim.tenant(), claim.at()).admit(claim).toCompletableFuture().join();
        if (decision.admitted()) {
            admittedHere.put(claim, local);
            counted.admitted(claim);
        }
        return decision;
    }

    @Override
    public CompletionStage<TenantCounters> settle(Claim claim, long usedTokens, BigDecimal usedUsd, Instant endedAt) {
        LocalFallback admittedBy = admittedHere.isEmpty() ? null : admittedHere.remove(claim);
        LocalFallback local = fallback.get();
        if (admittedBy != null) {
            counted.settled(claim, usedTokens, usedUsd, endedAt);
            if (local == admittedBy) {
                return admittedBy.store.settle(claim, usedTokens, usedUsd, endedAt);
            }
            return local != null ? CompletableFuture.completedFuture(local.spent(claim.tenant(), usedUsd, endedAt))
                    : counters(claim.tenant(), endedAt);
        }
        if (local != null) {
            return CompletableFuture.completedFuture(settleHere(local, claim, usedTokens, usedUsd, endedAt));
        }
        return redis.settle(claim, usedTokens, usedUsd, endedAt).handle((counters, failure) -> {
            if (failure != null) {
                return settleHere(down(failure), claim, usedTokens, usedUsd, endedAt);
            }
            lastSeen.put(claim.tenant(), counters);
            return counters;
        });
    }

    /** A claim Redis admitted: its release and spend reach Redis with the merge; here only the spend counts. */
    private TenantCounters settleHere(LocalFallback local, Claim claim, long usedTokens, BigDecimal usedUsd, Instant endedAt) {
        counted.settled(claim, usedTokens, usedUsd, endedAt);
        return local.spent(claim.tenant(), usedUsd, endedAt);
    }

    @Override
    public CompletionStage<TenantCounters> counters(String tenant, Instant at) {
        LocalFallback local = fallback.get();
        if (local != null) {
            return local.of(tenant, at).counters(tenant, at);
        }
        return redis.read(tenant, at).handle((counters, failure) -> {
            if (failure != null) {
                return down(failure).of(tenant, at).counters(tenant, at).toCompletableFuture().join();
            }
            lastSeen.put(tenant, counters);
            return counters;
        });
    }

    /** Only Redis's counters are reset: while it is away, this fails rather than reset one proxy's alone. */
    @Override
    public CompletionStage<TenantCounters> reset(String tenant, Optional<Period> period, Instant at) {
        if (fallback.get() != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "the shared state store (Redis) does not answer: counters can be reset once it does"));
        }
        return redis.reset(tenant, period, at);
    }

    @Override
    public CompletionStage<Optional<AlertLevel>> recordLevel(String tenant, AlertLevel level) {
        LocalFallback local = fallback.get();
        if (local != null) {
            return local.of(tenant, Instant.now()).recordLevel(tenant, level);
        }
        return redis.recordLevel(tenant, level).handle((previous, failure) -> {
            if (failure != null) {
                return down(failure).of(tenant, Instant.now()).recordLevel(tenant, level).toCompletableFuture().join();
            }
            lastLevels.put(tenant, level);
            return previous == level ? Optional.<AlertLevel>empty() : Optional.of(previous);
        });
    }

    @Override
    public String where() {
        return fallback.get() == null ? "redis" : "redis (away: this proxy's own counters)";
    }

    /** Redis did not answer: requests go to a fallback from now on (a new one per outage), said once. */
    private LocalFallback down(Throwable failure) {
        LocalFallback local = fallback.get();
        if (local == null) {
            fallback.compareAndSet(null, new LocalFallback(lastSeen, lastLevels));
            local = fallback.get();
        }
        if (awayLogged.compareAndSet(false, true)) {
            LOG.warnf("state store: Redis does not answer (%s); limits and budgets are enforced by this proxy alone"
                    + " until it does", describe(failure));
        }
        return local != null ? local : down(failure);
    }

    /** Off the request path: is Redis there? Then add what was counted without it, and use it again. */
    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        boolean away = fallback.get() != null;
        CompletionStage<Void> answers = away ? redis.ready() : redis.ping();
        answers.thenCompose(pong -> mergeCounted()).whenComplete((merged, failure) -> {
            checking.set(false);
            if (failure != null) {
                down(failure);
            } else if (fallback.get() != null) {
                awayLogged.set(false);
                fallback.set(null);
                LOG.info("state store: Redis answers; limits and budgets are shared by every proxy using it (what this"
                        + " proxy counted without it is added)");
            }
        });
    }

    /** The batches in order, each once Redis confirmed the one before. */
    private CompletionStage<Void> mergeCounted() {
        Iterator<LocalCounts.Batch> batches = counted.toSend().iterator();
        return mergeNext(batches, Instant.now());
    }

    private CompletionStage<Void> mergeNext(Iterator<LocalCounts.Batch> batches, Instant now) {
        if (!batches.hasNext()) {
            return CompletableFuture.completedFuture(null);
        }
        LocalCounts.Batch batch = batches.next();
        return redis.merge(batch.tenant(), batch.id(), batch.counts(), now).thenCompose(done -> {
            counted.sent(batch);
            return mergeNext(batches, now);
        });
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
