package dev.bedrocktenant.usage;

import java.util.OptionalLong;

/**
 * Tokens a request used, by type. While a response streams by, an empty count is one it has not reported
 * (yet). Once the request is over, {@link #used} decides what it used, by one rule:
 * <ul>
 * <li>the counts the response reported, when it reported any; a type it left out was not used (Bedrock
 *     omits the cache counts when the prompt cache was not touched), and the ledger writes it as 0;</li>
 * <li>{@link #NONE}, zero of every type, when the model produced no output: every refusal of the proxy,
 *     an error status from Bedrock, a stream that ended (exception event, broken connection, hang-up)
 *     before its first content, and the operations that bill no tokens (CountTokens, guardrails,
 *     async invokes);</li>
 * <li>{@link #NOT_REPORTED}, every count unknown, when output was produced but its count never arrived
 *     or could not be read: a stream cut off after content but before its usage event, a successful
 *     response without usage. Only such a request has null tokens in the ledger; it is recorded as
 *     partial and counted as unreadable, never as zero.</li>
 * </ul>
 * The proxy cannot see what Bedrock may charge for a prompt it never answered, so "no output" counts as
 * nothing used.
 *
 * <p>Cache writes are billed by how long the entry lives: {@code cacheWriteTokens} is all of them, and
 * {@code cacheWrite1hTokens} the part written with a one-hour TTL, where the response splits them by TTL
 * (Converse's {@code cacheDetails}, Anthropic's {@code cache_creation}). The rest are five-minute writes, the
 * default TTL, so a response that does not split them wrote them all for five minutes.
 *
 * @param inputTokens        input tokens, excluding cached ones (Bedrock reports them apart)
 * @param cacheReadTokens    input tokens read from the prompt cache
 * @param cacheWriteTokens   input tokens written to the prompt cache, whatever their TTL
 * @param cacheWrite1hTokens of those, the ones written with a one-hour TTL; empty where there were none, or the
 *                           response did not split its writes (0 is kept as empty, so that equal usages are equal)
 */
public record TokenUsage(OptionalLong inputTokens, OptionalLong outputTokens,
                         OptionalLong cacheReadTokens, OptionalLong cacheWriteTokens,
                         OptionalLong cacheWrite1hTokens) {

    private static final OptionalLong ZERO = OptionalLong.of(0);

    /** Nothing reported; on a finished request: tokens were used, how many is unknown. */
    public static final TokenUsage NOT_REPORTED =
            new TokenUsage(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

    /** No tokens used at all. */
    public static final TokenUsage NONE = new TokenUsage(ZERO, ZERO, ZERO, ZERO);

    public TokenUsage {
        if (cacheWrite1hTokens.isPresent() && cacheWrite1hTokens.getAsLong() == 0) {
            cacheWrite1hTokens = OptionalLong.empty();
        }
    }

    /** Cache writes not split by TTL: all of them (if any) five-minute ones. */
    public TokenUsage(OptionalLong inputTokens, OptionalLong outputTokens,
                      OptionalLong cacheReadTokens, OptionalLong cacheWriteTokens) {
        this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, OptionalLong.empty());
    }

    public static TokenUsage of(long input, long output) {
        return new TokenUsage(OptionalLong.of(input), OptionalLong.of(output), OptionalLong.empty(), OptionalLong.empty());
    }

    /**
     * What a finished response used (the rule above).
     *
     * @param reported       what the response reported
     * @param outputProduced whether the model produced any output, so that tokens were used
     */
    public static TokenUsage used(TokenUsage reported, boolean outputProduced) {
        if (reported.reported()) {
            return reported;
        }
        return outputProduced ? NOT_REPORTED : NONE;
    }

    /** True when the response reported any count at all; on a finished request: its usage is known. */
    public boolean reported() {
        return inputTokens.isPresent() || outputTokens.isPresent()
                || cacheReadTokens.isPresent() || cacheWriteTokens.isPresent();
    }

    /** True when some count is above zero: there is something to price and to report to CloudWatch. */
    public boolean anyUsed() {
        return positive(inputTokens) || positive(outputTokens) || positive(cacheReadTokens) || positive(cacheWriteTokens);
    }

    /** A known usage with the types it left out as 0 (what the ledger writes); an unknown one as it is. */
    public TokenUsage unreportedAsZero() {
        if (!reported() || inputTokens.isPresent() && outputTokens.isPresent() && cacheReadTokens.isPresent()
                && cacheWriteTokens.isPresent()) {
            return this;
        }
        return new TokenUsage(orZero(inputTokens), orZero(outputTokens), orZero(cacheReadTokens), orZero(cacheWriteTokens),
                cacheWrite1hTokens);
    }

    public TokenUsage withCache(OptionalLong cacheRead, OptionalLong cacheWrite) {
        return new TokenUsage(inputTokens, outputTokens, cacheRead, cacheWrite, cacheWrite1hTokens);
    }

    /** With the cache writes split by TTL; the split's total stands in for a cache-write count not reported. */
    TokenUsage split(CacheDetails details) {
        OptionalLong writes = cacheWriteTokens.isPresent() ? cacheWriteTokens : OptionalLong.of(details.total());
        return new TokenUsage(inputTokens, outputTokens, cacheReadTokens, writes, OptionalLong.of(details.oneHourTokens()));
    }

    /** The one-hour cache writes as the ledger writes them: 0 where there were none, unknown where the writes are. */
    public OptionalLong cacheWrite1hTokensKnown() {
        return cacheWriteTokens.isEmpty() || cacheWrite1hTokens.isPresent() ? cacheWrite1hTokens : ZERO;
    }

    /**
     * The cache writes with the default five-minute TTL: all of them but the one-hour ones (never below zero, should
     * a response report more one-hour writes than writes); empty when the writes are unknown.
     */
    public OptionalLong cacheWrite5mTokens() {
        if (cacheWriteTokens.isEmpty()) {
            return cacheWriteTokens;
        }
        long oneHour = cacheWrite1hTokens.orElse(0);
        return oneHour == 0 ? cacheWriteTokens : OptionalLong.of(Math.max(0, cacheWriteTokens.getAsLong() - oneHour));
    }

    private static boolean positive(OptionalLong count) {
        return count.isPresent() && count.getAsLong() > 0;
    }

    private static OptionalLong orZero(OptionalLong count) {
        return count.isPresent() ? count : ZERO;
    }
}
