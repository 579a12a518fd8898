package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The counters in this proxy's memory: each tenant's under its own lock, held for a few arithmetic steps. */
public final class MemoryStateStore implements StateStore {

    /** How soon a request refused for too many in flight is told to try again. */
    static final Duration CONCURRENCY_RETRY = Duration.ofSeconds(1);

    /** One tenant's counters; guarded by itself. */
    private static final class Counters {
        long minute;
        long requests;
        long tokens;
        long inFlight;
        String day = "";
        BigDecimal spentDay = BigDecimal.ZERO;
        BigDecimal reservedDay = BigDecimal.ZERO;
        String month = "";
        BigDecimal spentMonth = BigDecimal.ZERO;
        BigDecimal reservedMonth = BigDecimal.ZERO;
        AlertLevel level = AlertLevel.GREEN;

        /** A new minute, day or month starts from nothing (reservations in flight are carried: they still end). */
        void roll(Instant at) {
            long nowMinute = Period.minuteOf(at);
            if (nowMinute != minute) {
                minute = nowMinute;
                requests = 0;
                tokens = 0;
            }
            String today = Period.DAILY.keyOf(at);
            if (!today.equals(day)) {
                day = today;
                spentDay = BigDecimal.ZERO;
            }
            String thisMonth = Period.MONTHLY.keyOf(at);
            if (!thisMonth.equals(month)) {
                month = thisMonth;
                spentMonth = BigDecimal.ZERO;
            }
        }

        TenantCounters snapshot() {
            return new TenantCounters(minute, requests, tokens, inFlight, spentDay, reservedDay, spentMonth, reservedMonth);
        }
    }

    private final Map<String, Counters> tenants = new ConcurrentHashMap<>();

    private Counters of(String tenant) {
        return tenants.computeIfAbsent(tenant, t -> new Counters());
    }

    @Override
    public CompletionStage<Decision> admit(Claim claim) {
        Counters c = of(claim.tenant());
        synchronized (c) {
            c.roll(claim.at());
            Optional<String> over = LimitCheck.firstOver(claim, c.requests, c.tokens, c.inFlight,
                    c.spentDay.add(c.reservedDay), c.spentMonth.add(c.reservedMonth));
            Optional<Instant> resetsAt = over.map(limit -> LimitCheck.resetOf(limit, claim.at()));
            if (over.isPresent() && claim.enforce()) {
                return CompletableFuture.completedFuture(Decision.refuse(over.get(), resetsAt.get(), c.snapshot()));
            }
            c.requests++;
            c.tokens += claim.estimate().tokens();
            c.inFlight++;
            c.reservedDay = c.reservedDay.add(claim.estimate().costUsd());
            c.reservedMonth = c.reservedMonth.add(claim.estimate().costUsd());
            return CompletableFuture.completedFuture(Decision.admit(c.snapshot(), over, resetsAt));
        }
    }

    @Override
    public CompletionStage<TenantCounters> settle(Claim claim, long usedTokens, BigDecimal usedUsd, Instant endedAt) {
        Counters c = of(claim.tenant());
        synchronized (c) {
            c.roll(endedAt);
            if (c.minute == claim.minute()) {
                c.tokens = Math.max(0, c.tokens + usedTokens - claim.estimate().tokens());
            }
            c.inFlight = Math.max(0, c.inFlight - 1);
            // reserved in the day and month the claim was made, whichever those are now
            c.reservedDay = nonNegative(c.reservedDay.subtract(claim.estimate().costUsd()));
            c.reservedMonth = nonNegative(c.reservedMonth.subtract(claim.estimate().costUsd()));
            c.spentDay = c.spentDay.add(usedUsd);
            c.spentMonth = c.spentMonth.add(usedUsd);
            return CompletableFuture.completedFuture(c.snapshot());
        }
    }

    @Override
    public CompletionStage<TenantCounters> counters(String tenant, Instant at) {
        Counters c = of(tenant);
        synchronized (c) {
            c.roll(at);
            return CompletableFuture.completedFuture(c.snapshot());
        }
    }

    @Override
    public CompletionStage<TenantCounters> reset(String tenant, Optional<Period> period, Instant at) {
        Counters c = of(tenant);
        synchronized (c) {
            c.roll(at);
            if (period.isEmpty()) {
                c.requests = 0;
                c.tokens = 0;
            } else if (period.get() == Period.DAILY) {
                c.spentDay = BigDecimal.ZERO;
            } else {
                c.spentMonth = BigDecimal.ZERO;
            }
            return CompletableFuture.completedFuture(c.snapshot());
        }
    }

    /** Spend the ledger shows for the current day and month, before any request is served. */
    public void restore(String tenant, Instant at, BigDecimal spentToday, BigDecimal spentThisMonth) {
        Counters c = of(tenant);
        synchronized (c) {
            c.roll(at);
            c.spentDay = c.spentDay.add(spentToday);
            c.spentMonth = c.spentMonth.add(spentThisMonth);
        }
    }

    @Override
    public CompletionStage<Optional<AlertLevel>> recordLevel(String tenant, AlertLevel level) {
        Counters c = of(tenant);
        synchronized (c) {
            AlertLevel previous = c.level;
            c.level = level;
            return CompletableFuture.completedFuture(previous == level ? Optional.empty() : Optional.of(previous));
        }
    }

    @Override
    public String where() {
        return "memory";
    }

    private static BigDecimal nonNegative(BigDecimal amount) {
        return amount.signum() < 0 ? BigDecimal.ZERO : amount;
    }
}
