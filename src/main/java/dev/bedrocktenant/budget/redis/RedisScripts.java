package dev.bedrocktenant.budget.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that read and change a tenant's counters, each atomic in Redis. Money arrives and is kept as
 * whole 10^-12 USD ({@link PicoUsd}) and is compared as whole USD and remainder, since a Lua number (a double)
 * is exact only up to 2^53.
 */
final class RedisScripts {

    /** A script and its SHA-1, which EVALSHA names it by. */
    record Script(String source, String sha) {
        static Script of(String body) {
            String source = COMMON + body;
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
                return new Script(source, HexFormat.of().formatHex(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private RedisScripts() {
    }

    /** KEYS: the minute, in flight, reserved, the day's spend, the month's spend. */
    private static final String COMMON = """
            local UNIT = 1000000000000
            local function num(v) return tonumber(v) or 0 end
            local function usd(units)
              if not units or units == '' or string.sub(units, 1, 1) == '-' then return 0, 0 end
              local n = #units
              if n <= 12 then return 0, tonumber(units) end
              return tonumber(string.sub(units, 1, n - 12)), tonumber(string.sub(units, n - 11))
            end
            local function reached(spent, reserved, limit)
              local sw, sr = usd(spent)
              local rw, rr = usd(reserved)
              local lw, lr = usd(limit)
              local w, r = sw + rw, sr + rr
              if r >= UNIT then w, r = w + 1, r - UNIT end
              return w > lw or (w == lw and r >= lr)
            end
            local function counters(minute, inflight, reserved, day, month)
              local m = redis.call('HMGET', minute, 'requests', 'tokens')
              return {num(m[1]), num(m[2]), math.max(0, num(redis.call('GET', inflight))),
                      redis.call('GET', day) or '0', redis.call('GET', reserved) or '0', redis.call('GET', month) or '0'}
            end
            local function add(key, field, by, expire_at)
              local v
              if field == '' then
                v = redis.call('INCRBY', key, by)
                if v < 0 then redis.call('SET', key, 0) end
              else
                v = redis.call('HINCRBY', key, field, by)
                if v < 0 then redis.call('HSET', key, field, 0) end
              end
              redis.call('EXPIREAT', key, expire_at)
            end
            """;

    /**
     * Admits a claim while every limit has room, in {@code LimitCheck}'s order, then reserves it. ARGV: enforce
     * (1/0), maxConcurrent, requestsPerMinute, tokensPerMinute, dailyUsd, monthlyUsd ('' where none), the
     * estimate's tokens and USD, when the minute's key expires, when in flight and reserved expire. Answers
     * {admitted 1/0, the limit over or '', requests, tokens, in flight, spent today, reserved, spent this month}.
     */
    static final Script ADMIT = Script.of("""
            local c = counters(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
            local over = ''
            if ARGV[2] ~= '' and c[3] >= tonumber(ARGV[2]) then over = 'maxConcurrent'
            elseif ARGV[3] ~= '' and c[1] >= tonumber(ARGV[3]) then over = 'requestsPerMinute'
            elseif ARGV[4] ~= '' and c[2] >= tonumber(ARGV[4]) then over = 'tokensPerMinute'
            elseif ARGV[5] ~= '' and reached(c[4], c[5], ARGV[5]) then over = 'dailyUsd'
            elseif ARGV[6] ~= '' and reached(c[6], c[5], ARGV[6]) then over = 'monthlyUsd'
            end
            if over ~= '' and ARGV[1] == '1' then
              return {0, over, c[1], c[2], c[3], c[4], c[5], c[6]}
            end
            add(KEYS[1], 'requests', 1, ARGV[9])
            add(KEYS[1], 'tokens', ARGV[7], ARGV[9])
            add(KEYS[2], '', 1, ARGV[10])
            add(KEYS[3], '', ARGV[8], ARGV[10])
            c = counters(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
            return {1, over, c[1], c[2], c[3], c[4], c[5], c[6]}
            """);

    /**
     * Replaces a claim's reservation with what it used. KEYS as above for the day and month the request ended,
     * with KEYS[1] the claim's minute and KEYS[6] the minute it ended. ARGV: used minus estimated tokens ('' when
     * the claim's minute is over), the estimate's USD negated, the USD used, when the claim's minute, in flight
     * and reserved, the day's and the month's spend expire. Answers the counters as of its end.
     */
    static final Script SETTLE = Script.of("""
            if ARGV[1] ~= '' then add(KEYS[1], 'tokens', ARGV[1], ARGV[4]) end
            add(KEYS[2], '', -1, ARGV[5])
            add(KEYS[3], '', ARGV[2], ARGV[5])
            add(KEYS[4], '', ARGV[3], ARGV[6])
            add(KEYS[5], '', ARGV[3], ARGV[7])
            return counters(KEYS[6], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
            """);

    /** The counters, after forgetting KEYS[6] when given. */
    static final Script READ = Script.of("""
            if KEYS[6] then redis.call('DEL', KEYS[6]) end
            return counters(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
            """);

    /**
     * Adds what was counted while Redis was away, once: KEYS[1] marks the merge done; for each further key,
     * ARGV has a hash field ('' for a plain counter), the amount and when the key expires.
     */
    static final Script MERGE = Script.of("""
            if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', 3600) then return 0 end
            for i = 2, #KEYS do
              add(KEYS[i], ARGV[3 * i - 5], ARGV[3 * i - 4], ARGV[3 * i - 3])
            end
            return 1
            """);

    static final java.util.List<Script> ALL = java.util.List.of(ADMIT, SETTLE, READ, MERGE);
}
