package dev.bedrocktenant.budget.redis;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import dev.bedrocktenant.budget.AlertLevel;
import dev.bedrocktenant.budget.Claim;
import dev.bedrocktenant.budget.Decision;
import dev.bedrocktenant.budget.LimitCheck;
import dev.bedrocktenant.budget.Period;
import dev.bedrocktenant.budget.TenantCounters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Tenants' counters in Redis, each operation one atomic script (or command). Every call fails after the
 * configured timeout: the caller then counts without Redis.
 */
final class RedisCounters {

    /** Past keys are kept a little after their period ends, so that a clock a little behind still finds them. */
    private static final Duration PERIOD_GRACE = Duration.ofHours(1);

    private final Redis redis;
    private final String prefix;
    private final Duration timeout;
    private final Duration inFlightTtl;

    RedisCounters(Redis redis, RedisStateConfig config) {
        this.redis = redis;
        this.prefix = config.keyPrefix();
        this.timeout = config.timeout();
        this.inFlightTtl = config.inFlightTtl();
    }

    CompletionStage<Decision> admit(Claim claim) {
        RedisKeys keys = keys(claim.tenant());
        List<String> args = List.of(claim.enforce() ? "1" : "0",
                optional(claim.limits().maxConcurrent()), optional(claim.limits().requestsPerMinute()),
                optional(claim.limits().tokensPerMinute()),
                claim.budget().dailyUsd().map(PicoUsd::limit).orElse(""),
                claim.budget().monthlyUsd().map(PicoUsd::limit).orElse(""),
                Long.toString(claim.estimate().tokens()), Long.toString(PicoUsd.counted(claim.estimate().costUsd())),
                Long.toString(minuteExpiry(claim.minute())), Long.toString(inFlightExpiry(claim.at())));
        List<String> keyList = List.of(keys.minute(claim.minute()), keys.inFlight(), keys.reserved(),
                keys.spent(Period.DAILY, claim.day()), keys.spent(Period.MONTHLY, claim.month()));
        return eval(RedisScripts.ADMIT, keyList, args).map(r -> {
            TenantCounters counters = counters(claim.minute(), r, 2);
            Optional<String> over = Optional.of(r.get(1).toString()).filter(limit -> !limit.isEmpty());
            Optional<Instant> resetsAt = over.map(limit -> LimitCheck.resetOf(limit, claim.at()));
            return r.get(0).toLong() == 1 ? Decision.admit(counters, over, resetsAt)
                    : Decision.refuse(over.orElseThrow(), resetsAt.orElseThrow(), counters);
        }).subscribeAsCompletionStage();
    }

    CompletionStage<TenantCounters> settle(Claim claim, long usedTokens, BigDecimal usedUsd, Instant endedAt) {
        RedisKeys keys = keys(claim.tenant());
        long endedMinute = Period.minuteOf(endedAt);
        List<String> keyList = List.of(keys.minute(claim.minute()), keys.inFlight(), keys.reserved(),
                keys.spent(Period.DAILY, endedAt), keys.spent(Period.MONTHLY, endedAt), keys.minute(endedMinute));
        List<String> args = List.of(
                endedMinute == claim.minute() ? Long.toString(usedTokens - claim.estimate().tokens()) : "",
                Long.toString(-PicoUsd.counted(claim.estimate().costUsd())), Long.toString(PicoUsd.counted(usedUsd)),
                Long.toString(minuteExpiry(claim.minute())), Long.toString(inFlightExpiry(endedAt)),
                Long.toString(periodExpiry(Period.DAILY.endOf(endedAt))),
                Long.toString(periodExpiry(Period.MONTHLY.endOf(endedAt))));
        return eval(RedisScripts.SETTLE, keyList, args).map(r -> counters(endedMinute, r, 0)).subscribeAsCompletionStage();
    }

    CompletionStage<TenantCounters> read(String tenant, Instant at) {
        return read(tenant, at, null);
    }

    /** Forgets the tenant's spend of {@code period}, or with none its minute's requests and tokens. */
    CompletionStage<TenantCounters> reset(String tenant, Optional<Period> period, Instant at) {
        RedisKeys keys = keys(tenant);
        return read(tenant, at, period.map(p -> keys.spent(p, at)).orElse(keys.minute(Period.minuteOf(at))));
    }

    private CompletionStage<TenantCounters> read(String tenant, Instant at, String forget) {
        RedisKeys keys = keys(tenant);
        long minute = Period.minuteOf(at);
        List<String> keyList = new ArrayList<>(List.of(keys.minute(minute), keys.inFlight(), keys.reserved(),
                keys.spent(Period.DAILY, at), keys.spent(Period.MONTHLY, at)));
        if (forget != null) {
            keyList.add(forget);
        }
        return eval(RedisScripts.READ, keyList, List.of()).map(r -> counters(minute, r, 0)).subscribeAsCompletionStage();
    }

    /** Sets the tenant's level and answers the one it replaced, in one command (SET … GET): one caller sees each change. */
    CompletionStage<AlertLevel> recordLevel(String tenant, AlertLevel level) {
        Request set = Request.cmd(Command.SET).arg(keys(tenant).level()).arg(level.name()).arg("GET");
        return send(set).map(previous -> previous == null ? AlertLevel.GREEN : AlertLevel.valueOf(previous.toString()))
                .subscribeAsCompletionStage();
    }

    /** Adds what was counted without Redis; a merge already done (its reply lost) adds nothing again. */
    CompletionStage<Void> merge(String tenant, String mergeId, LocalCounts.Tenant counted, Instant now) {
        RedisKeys keys = keys(tenant);
        List<String> keyList = new ArrayList<>(List.of(keys.merged(mergeId)));
        List<String> args = new ArrayList<>();
        long currentMinute = Period.minuteOf(now);
        counted.minutes().forEach((minute, counts) -> {
            if (minute >= currentMinute - 1) {
                add(keyList, args, keys.minute(minute), "requests", counts[0], minuteExpiry(minute));
                add(keyList, args, keys.minute(minute), "tokens", counts[1], minuteExpiry(minute));
            }
        });
        add(keyList, args, keys.inFlight(), "", counted.inFlight(), inFlightExpiry(now));
        add(keyList, args, keys.reserved(), "", counted.reservedPicoUsd(), inFlightExpiry(now));
        counted.spentByDay().forEach((day, picoUsd) -> add(keyList, args, keys.spent(Period.DAILY, day), "", picoUsd,
                periodExpiry(LocalDate.parse(day).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())));
        counted.spentByMonth().forEach((month, picoUsd) -> add(keyList, args, keys.spent(Period.MONTHLY, month), "", picoUsd,
                periodExpiry(YearMonth.parse(month).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant())));
        return eval(RedisScripts.MERGE, keyList, args).replaceWithVoid().subscribeAsCompletionStage();
    }

    CompletionStage<Void> ping() {
        return send(Request.cmd(Command.PING)).replaceWithVoid().subscribeAsCompletionStage();
    }

    /** Redis answers, and knows the scripts (a Redis just started knows none). */
    CompletionStage<Void> ready() {
        Uni<Response> loaded = send(Request.cmd(Command.PING));
        for (RedisScripts.Script script : RedisScripts.ALL) {
            loaded = loaded.chain(previous -> send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source())));
        }
        return loaded.replaceWithVoid().subscribeAsCompletionStage();
    }

    private static void add(List<String> keys, List<String> args, String key, String field, long by, long expireAt) {
        if (by != 0) {
            keys.add(key);
            args.addAll(List.of(field, Long.toString(by), Long.toString(expireAt)));
        }
    }

    /**
     * EVALSHA sends a script's 40-character name rather than its text; a Redis that does not know it (just
     * started, or its script cache flushed) is sent the text once with EVAL, which also caches it.
     */
    private Uni<Response> eval(RedisScripts.Script script, List<String> keys, List<String> args) {
        return call(Command.EVALSHA, script.sha(), keys, args)
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> call(Command.EVAL, script.source(), keys, args))
                .ifNoItem().after(timeout).fail();
    }

    private Uni<Response> call(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return redis.send(request);
    }

    private Uni<Response> send(Request request) {
        return redis.send(request).ifNoItem().after(timeout).fail();
    }

    /** Six counters from index {@code from}: requests, tokens, in flight, spent today, reserved, spent this month. */
    private static TenantCounters counters(long minute, Response r, int from) {
        BigDecimal reserved = PicoUsd.usd(r.get(from + 4).toString());
        return new TenantCounters(minute, r.get(from).toLong(), r.get(from + 1).toLong(), r.get(from + 2).toLong(),
                PicoUsd.usd(r.get(from + 3).toString()), reserved, PicoUsd.usd(r.get(from + 5).toString()), reserved);
    }

    private RedisKeys keys(String tenant) {
        return new RedisKeys(prefix, tenant);
    }

    private static String optional(Optional<Long> limit) {
        return limit.map(String::valueOf).orElse("");
    }

    /** A minute's requests and tokens are read until it ends, then kept one more minute. */
    private static long minuteExpiry(long minute) {
        return (minute + 2) * 60;
    }

    private long inFlightExpiry(Instant at) {
        return at.plus(inFlightTtl).getEpochSecond();
    }

    private static long periodExpiry(Instant end) {
        return end.plus(PERIOD_GRACE).getEpochSecond();
    }
}
