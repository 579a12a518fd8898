package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import dev.bedrocktenant.usage.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled table prices the routing a request used: for a model with a global/regional split, a
 * {@code global.} call at the global rate, an in-Region (bare id) or geographic call at the regional one.
 */
class RoutingPriceTest {

    private static final PriceTable BUNDLED = new PriceTable(Optional.empty());
    private static final String SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String NOVA = "amazon.nova-2-lite-v1:0";
    private static final TokenUsage MIX = new TokenUsage(OptionalLong.of(12345), OptionalLong.of(678),
            OptionalLong.of(90000), OptionalLong.of(2000));

    // Sonnet 4.5 per million: global 3 in, 15 out, 0.30 cache read, 3.75 cache write
    //   12345 × 3 + 678 × 15 + 90000 × 0.30 + 2000 × 3.75 = 37035 + 10170 + 27000 + 7500 = 81705
    private static final String SONNET_GLOBAL = "0.081705";
    // regional, 10 % more: 3.30, 16.50, 0.33, 4.125
    //   40738.5 + 11187 + 29700 + 8250 = 89875.5
    private static final String SONNET_REGIONAL = "0.0898755";
    // Nova 2 Lite: global 0.30 in, 2.50 out, 0.075 cache read; no cache-write price, so those tokens cost the input price
    //   12345 × 0.30 + 678 × 2.50 + 90000 × 0.075 + 2000 × 0.30 = 3703.5 + 1695 + 6750 + 600 = 12748.5
    private static final String NOVA_GLOBAL = "0.0127485";
    // regional: 0.33, 2.75, 0.0825
    //   4073.85 + 1864.5 + 7425 + 660 = 14023.35
    private static final String NOVA_REGIONAL = "0.01402335";

    static Stream<Arguments> routings() {
        return Stream.of(
                arguments("global." + SONNET, SONNET_GLOBAL),
                arguments("us." + SONNET, SONNET_REGIONAL),
                arguments("eu." + SONNET, SONNET_REGIONAL),
                arguments(SONNET, SONNET_REGIONAL),
                arguments("apac." + SONNET, SONNET_REGIONAL),
                arguments("jp." + SONNET, SONNET_REGIONAL),
                arguments("au." + SONNET, SONNET_REGIONAL),
                arguments("ca." + SONNET, SONNET_REGIONAL),
                arguments("us-gov." + SONNET, SONNET_REGIONAL),
                arguments("arn:aws:bedrock:us-east-1:111122223333:inference-profile/global." + SONNET, SONNET_GLOBAL),
                arguments("arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu." + SONNET, SONNET_REGIONAL),
                arguments("arn:aws:bedrock:us-east-1::foundation-model/" + SONNET, SONNET_REGIONAL),
                arguments("global." + NOVA, NOVA_GLOBAL),
                arguments("us." + NOVA, NOVA_REGIONAL),
                arguments("eu." + NOVA, NOVA_REGIONAL),
                arguments(NOVA, NOVA_REGIONAL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routings")
    void eachRoutingIsPricedAtItsRate(String modelId, String usd) {
        assertCost(BUNDLED, modelId, usd);
    }

    @Test
    void routingsAskedInTurnOnOneThreadKeepTheirOwnRates() {
        // the remembered lookups must never hand one routing's rates to another
        PriceTable table = new PriceTable(Optional.empty());
        List<Arguments> all = routings().toList();
        for (int round = 0; round < 2; round++) {
            for (Arguments routing : all) {
                assertCost(table, (String) routing.get()[0], (String) routing.get()[1]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"amazon.nova-2-sonic-v1:0", "global.amazon.nova-2-sonic-v1:0", "eu.acme.unheard-of-v1:0"})
    void aModelWithNoPriceCostsZeroAndCountsAsUnpriced(String modelId) {
        // Nova 2 Sonic prices speech apart from text, which its usage does not tell apart: left unpriced, not guessed
        PricedCost cost = BUNDLED.costOf(modelId, MIX);
        assertFalse(cost.priced());
        assertEquals("0", cost.usd().toPlainString());
    }

    @Test
    void anOverrideOfTheBareIdRepricesInRegionAndGeographicCallsButNotGlobalOnes() {
        PriceFile negotiated = PriceFile.parse("{\"models\": {\"" + SONNET + "\": {\"inputPerMillion\": 2, \"outputPerMillion\": 10}}}",
                "test");
        PriceTable table = new PriceTable(PriceFile.bundled(), Optional.of(negotiated));
        assertEquals(new BigDecimal("2"), table.priceOf(SONNET).orElseThrow().inputPerMillion());
        assertEquals(new BigDecimal("2"), table.priceOf("eu." + SONNET).orElseThrow().inputPerMillion());
        assertCost(table, "global." + SONNET, SONNET_GLOBAL);
    }

    private static void assertCost(PriceTable table, String modelId, String usd) {
        PricedCost cost = table.costOf(modelId, MIX);
        assertTrue(cost.priced(), modelId);
        assertEquals(new BigDecimal(usd), cost.usd(), modelId); // equals: the exact digits, not just the value
    }
}
