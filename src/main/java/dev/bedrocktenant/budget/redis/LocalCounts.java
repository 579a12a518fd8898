package dev.bedrocktenant.budget.redis;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.bedrocktenant.budget.Claim;
import dev.bedrocktenant.budget.Period;

/**
 * What this proxy counted while Redis did not answer, to be added to Redis once it does: per tenant, each
 * minute's requests and tokens, the change in requests in flight and in what they reserve, and the spend of
 * each day and month. Taken in batches, each with its own id, sent until Redis confirms it, in order.
 */
final class LocalCounts {

    /** One tenant's counts, in the units Redis keeps. */
    record Tenant(Map<Long, long[]> minutes, long inFlight, long reservedPicoUsd, Map<String, Long> spentByDay,
                  Map<String, Long> spentByMonth) {
    }

    /** A tenant's counts taken to be sent once, under one id. */
    record Batch(String tenant, String id, Tenant counts) {
    }

    private static final class Counting {
        final Map<Long, long[]> minutes = new TreeMap<>();
        long inFlight;
        long reserved;
        final Map<String, Long> days = new TreeMap<>();
        final Map<String, Long> months = new TreeMap<>();
    }

    private final Map<String, Counting> tenants = new HashMap<>();
    private final Deque<Batch> unsent = new ArrayDeque<>();

    synchronized void admitted(Claim claim) {
        Counting c = tenants.computeIfAbsent(claim.tenant(), t -> new Counting());
        long[] minute = c.minutes.computeIfAbsent(claim.minute(), m -> new long[2]);
        minute[0]++;
        minute[1] += claim.estimate().tokens();
        c.inFlight++;
        c.reserved += PicoUsd.counted(claim.estimate().costUsd());
    }

    /** As Redis would have settled it (see {@code RedisScripts.SETTLE}). */
    synchronized void settled(Claim claim, long usedTokens, BigDecimal usedUsd, Instant endedAt) {
        Counting c = tenants.computeIfAbsent(claim.tenant(), t -> new Counting());
        if (Period.minuteOf(endedAt) == claim.minute()) {
            c.minutes.computeIfAbsent(claim.minute(), m -> new long[2])[1] += usedTokens - claim.estimate().tokens();
        }
        c.inFlight--;
        c.reserved -= PicoUsd.counted(claim.estimate().costUsd());
        long used = PicoUsd.counted(usedUsd);
        c.days.merge(Period.DAILY.keyOf(endedAt), used, Long::sum);
        c.months.merge(Period.MONTHLY.keyOf(endedAt), used, Long::sum);
    }

    /** The batches not yet confirmed, after taking what was counted since the last call into new ones. */
    synchronized List<Batch> toSend() {
        tenants.forEach((tenant, c) -> unsent.add(new Batch(tenant, UUID.randomUUID().toString(),
                new Tenant(c.minutes, c.inFlight, c.reserved, c.days, c.months))));
        tenants.clear();
        return List.copyOf(unsent);
    }

    synchronized void sent(Batch batch) {
        unsent.remove(batch);
    }
}
