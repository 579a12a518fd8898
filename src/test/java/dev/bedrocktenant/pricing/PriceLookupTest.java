package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PriceLookupTest {

    private static final String SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final ModelPrice BASE = price("3");
    private static final ModelPrice REGIONAL = price("3.3");
    private static final ModelPrice APP_PROFILE = price("7");
    private static final String APP_ARN = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6";

    private static final PriceTable TABLE = PriceTable.of(Map.of(SONNET, BASE, "us." + SONNET, REGIONAL));

    private static ModelPrice price(String input) {
        return ModelPrice.of(new BigDecimal(input), BigDecimal.TEN, Optional.empty(), Optional.empty());
    }

    private static Optional<ModelPrice> lookup(String id) {
        return TABLE.priceOf(id);
    }

    @Test
    void theIdAsCalledBeatsTheBase() {
        assertEquals(Optional.of(REGIONAL), lookup("us." + SONNET));
        assertEquals(Optional.of(BASE), lookup(SONNET));
    }

    @Test
    void otherProfilesFallBackToTheBase() {
        assertEquals(Optional.of(BASE), lookup("global." + SONNET));
        assertEquals(Optional.of(BASE), lookup("eu." + SONNET));
    }

    @Test
    void aFoundationModelArnFindsTheBase() {
        assertEquals(Optional.of(BASE), lookup("arn:aws:bedrock:us-east-1::foundation-model/" + SONNET));
    }

    @Test
    void aSystemProfileArnFindsTheProfileItNamesThenTheBase() {
        assertEquals(Optional.of(REGIONAL), lookup("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us." + SONNET));
        assertEquals(Optional.of(BASE), lookup("arn:aws:bedrock:us-east-1:111122223333:inference-profile/global." + SONNET));
        assertEquals(Optional.of(BASE), lookup("arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu." + SONNET));
    }

    @Test
    void anApplicationProfileArnHasNoBaseOfItsOwn() {
        // callers pass the model id the application asked for; the bare ARN is unpriced…
        assertEquals(Optional.empty(), lookup(APP_ARN));
        // …unless the override file prices that very ARN
        PriceTable table = PriceTable.of(Map.of(APP_ARN, APP_PROFILE));
        assertEquals(Optional.of(APP_PROFILE), table.priceOf(APP_ARN));
    }

    @Test
    void aGlobalEntryWhenPresentIsUsedForGlobalCalls() {
        ModelPrice global = price("2.9");
        PriceTable table = PriceTable.of(Map.of(SONNET, BASE, "global." + SONNET, global));
        assertEquals(Optional.of(global), table.priceOf("global." + SONNET));
        assertEquals(Optional.of(BASE), table.priceOf("us." + SONNET));
    }

    @Test
    void unknownModelsAndProfilesOfThemAreUnpriced() {
        assertEquals(Optional.empty(), lookup("anthropic.claude-unknown-v1:0"));
        assertEquals(Optional.empty(), lookup("us.anthropic.claude-unknown-v1:0"));
        assertEquals(Optional.empty(), lookup("arn:aws:bedrock:us-east-1:111122223333:custom-model/x"));
    }

    @Test
    void bundledTablePricesProfilesAndArnsOfAnUnsplitModelAsTheModel() {
        PriceTable bundled = new PriceTable(Optional.empty());
        // Claude 3 Haiku has one price wherever it runs: its profile and its ARNs cost the base price
        String haiku = "anthropic.claude-3-haiku-20240307-v1:0";
        ModelPrice base = bundled.priceOf(haiku).orElseThrow();
        assertEquals(Optional.of(base), bundled.priceOf("us." + haiku));
        assertEquals(Optional.of(base), bundled.priceOf("arn:aws:bedrock:us-west-2::foundation-model/" + haiku));
        assertEquals(Optional.of(base), bundled.priceOf("arn:aws:bedrock:us-west-2:111122223333:inference-profile/us." + haiku));
    }
}
