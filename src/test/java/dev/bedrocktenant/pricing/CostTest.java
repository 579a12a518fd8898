package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.usage.TokenUsage;
import org.junit.jupiter.api.Test;

class CostTest {

    private static final String HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0";
    private static final PriceTable BUNDLED = new PriceTable(Optional.empty());

    private static TokenUsage tokens(long input, long output, long cacheRead, long cacheWrite) {
        return new TokenUsage(OptionalLong.of(input), OptionalLong.of(output), OptionalLong.of(cacheRead), OptionalLong.of(cacheWrite));
    }

    private static void assertUsd(String expected, PricedCost cost) {
        assertTrue(cost.priced());
        assertEquals(0, new BigDecimal(expected).compareTo(cost.usd()), "was " + cost.usd().toPlainString());
    }

    private static BigDecimal usd(String value) {
        return new BigDecimal(value);
    }

    @Test
    void claude3HaikuMixIsHandComputedExactly() {
        // AWS lists no cache price for Claude 3 Haiku: cache tokens cost its input price, 0.25
        // 1000 × 0.25 + 500 × 1.25 + 200 × 0.25 + 100 × 0.25, per million
        // = 0.00025 + 0.000625 + 0.00005 + 0.000025
        assertUsd("0.00095", BUNDLED.costOf(HAIKU_3, tokens(1000, 500, 200, 100)));
    }

    @Test
    void embeddingsCostInputOnly() {
        assertUsd("0.00002", BUNDLED.costOf("amazon.titan-embed-text-v2:0", TokenUsage.of(1000, 0)));
    }

    @Test
    void tokensNotReportedCountAsZero() {
        assertUsd("0.00025", BUNDLED.costOf(HAIKU_3, new TokenUsage(OptionalLong.of(1000), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty())));
        PricedCost nothing = BUNDLED.costOf(HAIKU_3, TokenUsage.NOT_REPORTED);
        assertUsd("0", nothing);
        assertEquals("0", nothing.usd().toPlainString());
    }

    @Test
    void unknownModelIsUnpricedAtZero() {
        PricedCost cost = BUNDLED.costOf("acme.unheard-of-model-v1:0", TokenUsage.of(1000, 1000));
        assertFalse(cost.priced());
        assertEquals(0, cost.usd().signum());
        assertEquals(PricedCost.UNPRICED, BUNDLED.costOf("_none", TokenUsage.of(1, 1)));
        assertEquals(PricedCost.UNPRICED, BUNDLED.costOf("", TokenUsage.of(1, 1)));
        assertEquals(PricedCost.UNPRICED, BUNDLED.costOf(null, TokenUsage.of(1, 1)));
    }

    @Test
    void cacheTokensOfAModelListingNoCachePriceCostTheInputPrice() {
        ModelPrice price = ModelPrice.of(usd("3"), usd("15"), Optional.empty(), Optional.empty());
        assertEquals(usd("3"), price.cacheReadPerMillion());
        assertEquals(usd("3"), price.cacheWritePerMillion());
        // 1000 cache read + 1000 cache write at 3 per million: never free when no price says so
        assertEquals(0, usd("0.006").compareTo(price.costOf(tokens(0, 0, 1000, 1000))));
    }

    @Test
    void anExplicitZeroCachePriceMakesCacheTokensFree() {
        ModelPrice price = ModelPrice.of(usd("0.8"), usd("3.2"), Optional.of(usd("0.2")), Optional.of(BigDecimal.ZERO));
        assertEquals(0, usd("0.0002").compareTo(price.costOf(tokens(0, 0, 1000, 5000))));
    }

    @Test
    void decimalsDoNotDrift() {
        PriceTable table = PriceTable.of(Map.of("acme.tenth-v1", new ModelPrice(usd("0.1"), usd("0.2"), usd("0.1"), usd("0.1"))));
        // 0.1 + 0.2 is 0.30000000000000004 in binary floating point
        assertUsd("0.3", table.costOf("acme.tenth-v1", TokenUsage.of(1_000_000, 1_000_000)));
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < 3; i++) {
            sum = sum.add(table.costOf("acme.tenth-v1", TokenUsage.of(1, 0)).usd());
        }
        assertEquals("0.0000003", sum.toPlainString());
        // ten million requests of one token each still add up to exactly one dollar at 0.1 per million
        BigDecimal one = table.costOf("acme.tenth-v1", TokenUsage.of(1, 0)).usd().multiply(BigDecimal.valueOf(10_000_000));
        assertEquals(0, BigDecimal.ONE.compareTo(one));
    }

    @Test
    void largeCountsStayExact() {
        // 2^53 + 1 tokens cannot be held by a double
        long huge = 9_007_199_254_740_993L;
        assertUsd("2251799813.68524825", BUNDLED.costOf(HAIKU_3, TokenUsage.of(huge, 0)));
    }

    @Test
    void costsArePlainWithoutTrailingZerosOrNegativeScale() {
        PriceTable table = PriceTable.of(Map.of("acme.ten-v1", ModelPrice.of(usd("10.00"), usd("0"), Optional.empty(), Optional.empty())));
        assertEquals("10", table.costOf("acme.ten-v1", TokenUsage.of(1_000_000, 0)).usd().toString());
    }
}
