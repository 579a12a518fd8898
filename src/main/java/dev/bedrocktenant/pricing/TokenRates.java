package dev.bedrocktenant.pricing;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import dev.bedrocktenant.usage.TokenUsage;

/**
 * A model's five prices as whole numbers at one shared scale, so that a request's cost is exact long
 * arithmetic: every request is priced, and five BigDecimal products, their sum and its trimming cost
 * several times more. The result is the very same BigDecimal as {@link ModelPrice#costOf} gives (value and
 * scale); that path is still taken when a price has too many digits or a product would overflow. The model's
 * other service tiers have theirs, made once with these.
 */
final class TokenRates {

    /** Past this scale a price is left to BigDecimal (no real price has 18 decimals). */
    private static final int MAX_SCALE = 18;
    private static final int PER_MILLION_SCALE = 6;

    private final ModelPrice price;
    /** The prices' digits at {@link #scale}; meaningless when {@link #exact} is false. */
    private final long input;
    private final long output;
    private final long cacheRead;
    private final long cacheWrite;
    private final long cacheWrite1h;
    private final int scale;
    private final boolean exact;
    private final Map<String, TokenRates> tiers;

    TokenRates(ModelPrice price) {
        this.price = price;
        BigDecimal[] perMillion = {price.inputPerMillion(), price.outputPerMillion(), price.cacheReadPerMillion(),
                price.cacheWritePerMillion(), price.cacheWrite1hPerMillion()};
        int shared = 0;
        for (BigDecimal value : perMillion) {
            shared = Math.max(shared, value.scale());
        }
        long[] digits = new long[perMillion.length];
        boolean fits = shared <= MAX_SCALE;
        for (int i = 0; fits && i < perMillion.length; i++) {
            BigDecimal scaled = perMillion[i].setScale(shared); // only ever widens: exact
            fits = scaled.unscaledValue().bitLength() < Long.SIZE;
            digits[i] = fits ? scaled.unscaledValue().longValueExact() : 0;
        }
        this.input = digits[0];
        this.output = digits[1];
        this.cacheRead = digits[2];
        this.cacheWrite = digits[3];
        this.cacheWrite1h = digits[4];
        this.scale = shared + PER_MILLION_SCALE; // over a million: the point moves, nothing is divided
        this.exact = fits;
        Map<String, TokenRates> tierRates = new HashMap<>();
        price.tiers().forEach((tier, prices) -> tierRates.put(tier, new TokenRates(prices)));
        this.tiers = Map.copyOf(tierRates);
    }

    ModelPrice price() {
        return price;
    }

    /** The rates of a service tier other than the default, when the model has prices for it. */
    TokenRates inTier(String tier) {
        return tiers.get(tier);
    }

    /** The exact cost of these tokens; types not reported count as zero. */
    BigDecimal costOf(TokenUsage tokens) {
        if (!exact) {
            return price.costOf(tokens);
        }
        try {
            long sum = Math.addExact(Math.addExact(times(tokens.inputTokens(), input), times(tokens.outputTokens(), output)),
                    Math.addExact(times(tokens.cacheReadTokens(), cacheRead), times(tokens.cacheWrite5mTokens(), cacheWrite)));
            if (tokens.cacheWrite1hTokens().isPresent()) {
                sum = Math.addExact(sum, times(tokens.cacheWrite1hTokens(), cacheWrite1h));
            }
            return trimmed(sum, scale);
        } catch (ArithmeticException overflow) {
            return price.costOf(tokens);
        }
    }

    private static long times(OptionalLong count, long rate) {
        return count.isPresent() ? Math.multiplyExact(count.getAsLong(), rate) : 0;
    }

    /** As {@link ModelPrice#tidy}: without trailing zeros, never a negative scale. */
    private static BigDecimal trimmed(long digits, int scale) {
        if (digits == 0) {
            return BigDecimal.ZERO;
        }
        while (scale > 0 && digits % 10 == 0) {
            digits /= 10;
            scale--;
        }
        return BigDecimal.valueOf(digits, scale);
    }
}
