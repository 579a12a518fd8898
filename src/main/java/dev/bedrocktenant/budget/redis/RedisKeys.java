package dev.bedrocktenant.budget.redis;

import java.time.Instant;

import dev.bedrocktenant.budget.Period;

/**
 * Where a tenant's counters live in Redis: {@code <prefix>:{<tenant>}:<counter>}. The braces are a hash tag,
 * so one tenant's keys share a Redis Cluster slot and one script can touch them all.
 */
final class RedisKeys {

    private final String tenant;

    RedisKeys(String prefix, String tenant) {
        this.tenant = prefix + ":{" + tenant + "}:";
    }

    /** Requests and tokens of one clock minute (a hash: {@code requests}, {@code tokens}). */
    String minute(long minute) {
        return tenant + "minute:" + minute;
    }

    String inFlight() {
        return tenant + "inflight";
    }

    /** What requests in flight have reserved, counted against the day's and the month's budget alike. */
    String reserved() {
        return tenant + "reserved";
    }

    /** USD spent in a UTC day or month, by its key ({@code 2026-12-03}, {@code 2026-12}). */
    String spent(Period period, String key) {
        return tenant + (period == Period.DAILY ? "day:" : "month:") + key;
    }

    String spent(Period period, Instant at) {
        return spent(period, period.keyOf(at));
    }

    String level() {
        return tenant + "level";
    }

    /** Marks one merge of counts made while Redis was away as done, so that a retried merge adds nothing. */
    String merged(String mergeId) {
        return tenant + "merged:" + mergeId;
    }
}
