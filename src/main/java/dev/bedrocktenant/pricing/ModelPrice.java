package dev.bedrocktenant.pricing;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.usage.TokenUsage;

/**
 * What one model costs, in USD per million tokens of each type. Exact decimals, as written in the
 * pricing file.
 *
 * <p>A model whose entry lists no cache price has its cache tokens priced at its input price (see
 * {@link #of}): a cached token is still an input token, and without a listed discount or premium the
 * ordinary input price is what finance would expect, never "free". Write {@code 0} to make them free.
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion,
                         BigDecimal cacheReadPerMillion, BigDecimal cacheWritePerMillion) {

    public ModelPrice {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        Objects.requireNonNull(cacheReadPerMillion, "cacheReadPerMillion");
        Objects.requireNonNull(cacheWritePerMillion, "cacheWritePerMillion");
    }

    /** An entry as the pricing file gives it: a cache price it leaves out is the input price. */
    public static ModelPrice of(BigDecimal input, BigDecimal output,
                                Optional<BigDecimal> cacheRead, Optional<BigDecimal> cacheWrite) {
        return new ModelPrice(input, output, cacheRead.orElse(input), cacheWrite.orElse(input));
    }

    /**
     * The exact cost of these tokens: each type times its own price, over a million. Types not
     * reported count as zero. No division happens, so nothing is rounded.
     */
    public BigDecimal costOf(TokenUsage tokens) {
        BigDecimal sum = times(tokens.inputTokens(), inputPerMillion)
                .add(times(tokens.outputTokens(), outputPerMillion))
                .add(times(tokens.cacheReadTokens(), cacheReadPerMillion))
                .add(times(tokens.cacheWriteTokens(), cacheWritePerMillion))
                .movePointLeft(6);
        return tidy(sum);
    }

    private static BigDecimal times(OptionalLong count, BigDecimal perMillion) {
        return count.isPresent() ? perMillion.multiply(BigDecimal.valueOf(count.getAsLong())) : BigDecimal.ZERO;
    }

    /** Same value, without trailing zeros, and never a negative scale (so 10 stays "10", 0 stays "0"). */
    static BigDecimal tidy(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
