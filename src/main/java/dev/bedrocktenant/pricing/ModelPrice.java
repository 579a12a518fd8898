package dev.bedrocktenant.pricing;

import java.math.BigDecimal;
import java.util.Map;
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
 * Cache writes with a one-hour TTL have a price of their own; an entry that lists none prices them as
 * five-minute writes.
 *
 * <p>The prices are those of the default (standard) service tier. {@code tiers} holds the prices of other tiers
 * where the model has them ({@code priority}, {@code flex}), each a whole set of prices by the same rules.
 *
 * @param cacheWritePerMillion   cache writes with the default five-minute TTL
 * @param cacheWrite1hPerMillion cache writes with a one-hour TTL
 * @param tiers                  prices of other service tiers, by the tier's name as Bedrock reports it
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion,
                         BigDecimal cacheReadPerMillion, BigDecimal cacheWritePerMillion,
                         BigDecimal cacheWrite1hPerMillion, Map<String, ModelPrice> tiers) {

    /** The tier a model's own prices are for. */
    public static final String DEFAULT_TIER = "default";

    public ModelPrice {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        Objects.requireNonNull(cacheReadPerMillion, "cacheReadPerMillion");
        Objects.requireNonNull(cacheWritePerMillion, "cacheWritePerMillion");
        Objects.requireNonNull(cacheWrite1hPerMillion, "cacheWrite1hPerMillion");
        tiers = Map.copyOf(tiers);
    }

    /** One price per token type, one-hour cache writes at the five-minute price, no other tier. */
    public ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion,
                      BigDecimal cacheReadPerMillion, BigDecimal cacheWritePerMillion) {
        this(inputPerMillion, outputPerMillion, cacheReadPerMillion, cacheWritePerMillion, cacheWritePerMillion, Map.of());
    }

    /** An entry as the pricing file gives it: a cache price it leaves out is the input price. */
    public static ModelPrice of(BigDecimal input, BigDecimal output,
                                Optional<BigDecimal> cacheRead, Optional<BigDecimal> cacheWrite) {
        return of(input, output, cacheRead, cacheWrite, Optional.empty());
    }

    /** As {@link #of(BigDecimal, BigDecimal, Optional, Optional)}; a one-hour write price left out is the five-minute one. */
    public static ModelPrice of(BigDecimal input, BigDecimal output, Optional<BigDecimal> cacheRead,
                                Optional<BigDecimal> cacheWrite, Optional<BigDecimal> cacheWrite1h) {
        BigDecimal fiveMinutes = cacheWrite.orElse(input);
        return new ModelPrice(input, output, cacheRead.orElse(input), fiveMinutes, cacheWrite1h.orElse(fiveMinutes), Map.of());
    }

    /** The same prices, with these other tiers' prices. */
    public ModelPrice withTiers(Map<String, ModelPrice> tiers) {
        return new ModelPrice(inputPerMillion, outputPerMillion, cacheReadPerMillion, cacheWritePerMillion,
                cacheWrite1hPerMillion, tiers);
    }

    /** The prices of a service tier: these for {@code default}; empty for a tier the entry has no prices for. */
    public Optional<ModelPrice> inTier(String tier) {
        return DEFAULT_TIER.equals(tier) ? Optional.of(this) : Optional.ofNullable(tiers.get(tier));
    }

    /**
     * The exact cost of these tokens: each type times its own price, over a million. Types not
     * reported count as zero. No division happens, so nothing is rounded.
     */
    public BigDecimal costOf(TokenUsage tokens) {
        BigDecimal sum = times(tokens.inputTokens(), inputPerMillion)
                .add(times(tokens.outputTokens(), outputPerMillion))
                .add(times(tokens.cacheReadTokens(), cacheReadPerMillion))
                .add(times(tokens.cacheWrite5mTokens(), cacheWritePerMillion))
                .add(times(tokens.cacheWrite1hTokens(), cacheWrite1hPerMillion))
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
