package dev.bedrocktenant.usage;

import java.util.OptionalLong;

/**
 * Tokens a response reported, by type. "Not reported" (empty) is kept apart from zero: a stream cut
 * off before its usage arrived did not use zero tokens, it is unknown.
 *
 * @param inputTokens      input tokens, excluding cached ones (Bedrock reports them apart)
 * @param cacheReadTokens  input tokens read from the prompt cache
 * @param cacheWriteTokens input tokens written to the prompt cache
 */
public record TokenUsage(OptionalLong inputTokens, OptionalLong outputTokens,
                         OptionalLong cacheReadTokens, OptionalLong cacheWriteTokens) {

    public static final TokenUsage NOT_REPORTED =
            new TokenUsage(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

    public static TokenUsage of(long input, long output) {
        return new TokenUsage(OptionalLong.of(input), OptionalLong.of(output), OptionalLong.empty(), OptionalLong.empty());
    }

    /** True when the response reported any count at all. */
    public boolean reported() {
        return inputTokens.isPresent() || outputTokens.isPresent()
                || cacheReadTokens.isPresent() || cacheWriteTokens.isPresent();
    }

    public TokenUsage withCache(OptionalLong cacheRead, OptionalLong cacheWrite) {
        return new TokenUsage(inputTokens, outputTokens, cacheRead, cacheWrite);
    }
}
