package dev.bedrocktenant.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The cost of one request's tokens.
 *
 * @param usd    exact USD, zero when unpriced; write it with {@link BigDecimal#toPlainString()}, since
 *               {@code toString()} turns small amounts into exponent notation (2.5E-8)
 * @param priced false when no price was known for the model (the request counts as unpriced)
 */
public record PricedCost(BigDecimal usd, boolean priced) {

    public static final PricedCost UNPRICED = new PricedCost(BigDecimal.ZERO, false);

    public PricedCost {
        Objects.requireNonNull(usd, "usd");
    }
}
