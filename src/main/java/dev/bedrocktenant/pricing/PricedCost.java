package dev.bedrocktenant.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The cost of one request's tokens.
 *
 * @param usd    exact USD, zero when unpriced; write it with {@link BigDecimal#toPlainString()}, since
 *               {@code toString()} turns small amounts into exponent notation (2.5E-8)
 * @param priced     false when no price was known for the model (the request counts as unpriced)
 * @param tierPriced false when the model has a price but not for the service tier Bedrock served the request in:
 *                   it is then priced at the model's default-tier prices, and counted apart
 */
public record PricedCost(BigDecimal usd, boolean priced, boolean tierPriced) {

    public static final PricedCost UNPRICED = new PricedCost(BigDecimal.ZERO, false);

    public PricedCost {
        Objects.requireNonNull(usd, "usd");
    }

    /** Priced (or not) in the tier it was served in. */
    public PricedCost(BigDecimal usd, boolean priced) {
        this(usd, priced, true);
    }
}
