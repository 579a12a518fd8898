package dev.bedrocktenant.usage;

import java.util.OptionalLong;

/** Expected usages; a null cache count means "not reported". */
final class Tokens {

    private Tokens() {
    }

    static TokenUsage of(long input, long output, Long cacheRead, Long cacheWrite) {
        return new TokenUsage(OptionalLong.of(input), OptionalLong.of(output), optional(cacheRead), optional(cacheWrite));
    }

    private static OptionalLong optional(Long count) {
        return count == null ? OptionalLong.empty() : OptionalLong.of(count);
    }
}
