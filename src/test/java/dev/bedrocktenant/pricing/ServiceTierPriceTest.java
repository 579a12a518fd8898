package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.usage.TokenUsage;
import org.junit.jupiter.api.Test;

/** Prices of the served service tier, and of cache writes by TTL: read from a pricing file, applied exactly. */
class ServiceTierPriceTest {

    private static final String MODEL = "acme.tiered-v1";
    private static final PriceFile FILE = PriceFile.parse("""
            {"models": {"acme.tiered-v1": {
                "inputPerMillion": 1.00, "outputPerMillion": 4.00, "cacheReadPerMillion": 0.10,
                "cacheWritePerMillion": 1.25, "cacheWrite1hPerMillion": 2.00,
                "priority": {"inputPerMillion": 1.75, "outputPerMillion": 7.00, "cacheReadPerMillion": 0.175,
                             "cacheWritePerMillion": 2.1875, "cacheWrite1hPerMillion": 3.50},
                "flex": {"inputPerMillion": 0.50, "outputPerMillion": 2.00}},
              "acme.plain-v1": {"inputPerMillion": 3, "outputPerMillion": 15, "cacheWritePerMillion": 3.75}}}""", "test");
    private static final PriceTable TABLE = new PriceTable(FILE, Optional.empty());

    /** 1,000,000 input, 100,000 output, 10,000 cache reads, 30,000 cache writes of which 10,000 one-hour. */
    private static final TokenUsage USED = new TokenUsage(OptionalLong.of(1_000_000), OptionalLong.of(100_000),
            OptionalLong.of(10_000), OptionalLong.of(30_000), OptionalLong.of(10_000));

    private static BigDecimal expected(String input, String output, String read, String write5m, String write1h) {
        return new BigDecimal(input).multiply(BigDecimal.valueOf(1_000_000))
                .add(new BigDecimal(output).multiply(BigDecimal.valueOf(100_000)))
                .add(new BigDecimal(read).multiply(BigDecimal.valueOf(10_000)))
                .add(new BigDecimal(write5m).multiply(BigDecimal.valueOf(20_000)))
                .add(new BigDecimal(write1h).multiply(BigDecimal.valueOf(10_000))).movePointLeft(6);
    }

    @Test
    void eachServedTierIsPricedAtItsOwnPricesAndEachTtlAtItsOwnRate() {
        record Row(Optional<String> tier, BigDecimal usd) {
        }
        Row[] table = {
                new Row(Optional.empty(), expected("1.00", "4.00", "0.10", "1.25", "2.00")),
                new Row(Optional.of("default"), expected("1.00", "4.00", "0.10", "1.25", "2.00")),
                new Row(Optional.of("priority"), expected("1.75", "7.00", "0.175", "2.1875", "3.50")),
                // flex lists no cache prices: its cache tokens at its own input price
                new Row(Optional.of("flex"), expected("0.50", "2.00", "0.50", "0.50", "0.50")),
        };
        for (Row row : table) {
            PricedCost cost = TABLE.costOf(MODEL, USED, row.tier());
            assertEquals(0, row.usd().compareTo(cost.usd()), row.tier() + ": " + cost.usd());
            assertTrue(cost.priced() && cost.tierPriced(), row.tier().toString());
        }
        assertEquals("1.446", TABLE.costOf(MODEL, USED, Optional.of("default")).usd().toPlainString());
    }

    @Test
    void aTierTheModelHasNoPricesForIsPricedAtDefaultAndMarked() {
        for (String tier : new String[] {"reserved", "turbo"}) {
            PricedCost cost = TABLE.costOf(MODEL, USED, Optional.of(tier));
            assertEquals(TABLE.costOf(MODEL, USED).usd(), cost.usd(), tier);
            assertTrue(cost.priced(), tier);
            assertFalse(cost.tierPriced(), tier);
        }
        assertFalse(TABLE.costOf("acme.unknown-v1", USED, Optional.of("priority")).priced(), "no price at all: unpriced");
    }

    @Test
    void anEntryWithoutAOneHourPriceChargesOneHourWritesAsFiveMinuteOnes() {
        ModelPrice plain = TABLE.priceOf("acme.plain-v1").orElseThrow();
        assertEquals(new BigDecimal("3.75"), plain.cacheWrite1hPerMillion());
        assertEquals(0, new BigDecimal("3").add(new BigDecimal("1.5")).add(new BigDecimal("0.03"))
                .add(new BigDecimal("0.1125")).compareTo(TABLE.costOf("acme.plain-v1", USED).usd()));
    }

    @Test
    void aTierEntryIsCheckedLikeAModelEntry() {
        String unknownField = assertThrows(InvalidPriceFile.class, () -> PriceFile.parse(
                "{\"models\":{\"m\":{\"inputPerMillion\":1,\"outputPerMillion\":1,\"priority\":{\"inputPerMillion\":2,"
                        + "\"outputPerMillion\":2,\"source\":[\"x\"]}}}}", "f")).getMessage();
        assertTrue(unknownField.contains("model 'm', tier 'priority': unknown field 'source'"), unknownField);
        String missing = assertThrows(InvalidPriceFile.class, () -> PriceFile.parse(
                "{\"models\":{\"m\":{\"inputPerMillion\":1,\"outputPerMillion\":1,\"flex\":{\"inputPerMillion\":2}}}}",
                "f")).getMessage();
        assertTrue(missing.contains("tier 'flex': field 'outputPerMillion' is required"), missing);
        String notAnObject = assertThrows(InvalidPriceFile.class, () -> PriceFile.parse(
                "{\"models\":{\"m\":{\"inputPerMillion\":1,\"outputPerMillion\":1,\"flex\":0.5}}}", "f")).getMessage();
        assertTrue(notAnObject.contains("tier 'flex': must be an object of prices"), notAnObject);
        String negative = assertThrows(InvalidPriceFile.class, () -> PriceFile.parse(
                "{\"models\":{\"m\":{\"inputPerMillion\":1,\"outputPerMillion\":1,\"cacheWrite1hPerMillion\":-2}}}",
                "f")).getMessage();
        assertTrue(negative.contains("'cacheWrite1hPerMillion' must not be negative"), negative);
        String unknownTier = assertThrows(InvalidPriceFile.class, () -> PriceFile.parse(
                "{\"models\":{\"m\":{\"inputPerMillion\":1,\"outputPerMillion\":1,\"reserved\":{}}}}", "f")).getMessage();
        assertTrue(unknownTier.contains("unknown field 'reserved'"), unknownTier);
    }

    @Test
    void theBundledTablePricesTheTiersAndOneHourWritesWhereItListsThem() {
        PriceTable bundled = new PriceTable(Optional.empty());
        ModelPrice gptOss = bundled.priceOf("openai.gpt-oss-120b-1:0").orElseThrow();
        assertEquals(0, new BigDecimal("0.2625").compareTo(gptOss.inTier("priority").orElseThrow().inputPerMillion()));
        assertEquals(0, new BigDecimal("0.075").compareTo(gptOss.inTier("flex").orElseThrow().inputPerMillion()));
        ModelPrice sonnet = bundled.priceOf("global.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow();
        assertEquals(0, new BigDecimal("6").compareTo(sonnet.cacheWrite1hPerMillion()));
        assertEquals(0, new BigDecimal("3.75").compareTo(sonnet.cacheWritePerMillion()));
        for (var entry : bundled.prices().entrySet()) { // a tier's prices: priority above default, flex below
            ModelPrice price = entry.getValue();
            price.inTier("priority").ifPresent(p -> assertTrue(p.inputPerMillion().compareTo(price.inputPerMillion()) > 0
                    && p.outputPerMillion().compareTo(price.outputPerMillion()) > 0, entry.getKey()));
            price.inTier("flex").ifPresent(f -> assertTrue(f.inputPerMillion().compareTo(price.inputPerMillion()) < 0
                    && f.outputPerMillion().compareTo(price.outputPerMillion()) < 0, entry.getKey()));
            assertTrue(price.cacheWrite1hPerMillion().compareTo(price.cacheWritePerMillion()) >= 0, entry.getKey());
        }
    }
}
