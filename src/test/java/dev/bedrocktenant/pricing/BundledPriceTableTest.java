package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.bedrocktenant.profile.ModelId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundledPriceTableTest {

    private static final PriceFile BUNDLED = PriceFile.bundled();

    @Test
    void loadsAndStatesItsSourceAndDate() {
        assertTrue(BUNDLED.models().size() >= 60, "models: " + BUNDLED.models().size());
        assertTrue(BUNDLED.source().orElseThrow().contains("us-east-1"));
        assertTrue(BUNDLED.asOf().orElseThrow().matches("\\d{4}-\\d{2}-\\d{2}"));
        assertEquals(BUNDLED.models().size(), new PriceTable(Optional.empty()).prices().size());
    }

    @Test
    void everyIdParsesAsAModelWithABase() {
        BUNDLED.models().keySet().forEach(id -> {
            ModelId parsed = ModelId.parse(id);
            assertTrue(parsed.baseModelId().isPresent(), id);
            assertTrue(!parsed.isArn(), id);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-sonnet-20240229-v1:0",
            "anthropic.claude-3-opus-20240229-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0",
            "anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-5-sonnet-20241022-v2:0",
            "anthropic.claude-3-7-sonnet-20250219-v1:0", "anthropic.claude-sonnet-4-20250514-v1:0",
            "anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-opus-4-20250514-v1:0",
            "anthropic.claude-opus-4-1-20250805-v1:0", "anthropic.claude-opus-4-5-20251101-v1:0",
            "anthropic.claude-haiku-4-5-20251001-v1:0",
            "amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0", "amazon.nova-premier-v1:0",
            "amazon.titan-text-express-v1", "amazon.titan-text-lite-v1", "amazon.titan-text-premier-v1:0",
            "amazon.titan-embed-text-v1", "amazon.titan-embed-text-v2:0",
            "meta.llama3-8b-instruct-v1:0", "meta.llama3-70b-instruct-v1:0", "meta.llama3-1-8b-instruct-v1:0",
            "meta.llama3-1-70b-instruct-v1:0", "meta.llama3-1-405b-instruct-v1:0", "meta.llama3-2-1b-instruct-v1:0",
            "meta.llama3-2-3b-instruct-v1:0", "meta.llama3-2-11b-instruct-v1:0", "meta.llama3-2-90b-instruct-v1:0",
            "meta.llama3-3-70b-instruct-v1:0", "meta.llama4-scout-17b-instruct-v1:0",
            "meta.llama4-maverick-17b-instruct-v1:0",
            "mistral.mistral-7b-instruct-v0:2", "mistral.mixtral-8x7b-instruct-v0:1", "mistral.mistral-small-2402-v1:0",
            "mistral.mistral-large-2402-v1:0", "mistral.mistral-large-2407-v1:0", "mistral.pixtral-large-2502-v1:0",
            "cohere.command-r-v1:0", "cohere.command-r-plus-v1:0", "cohere.embed-english-v3",
            "cohere.embed-multilingual-v3", "deepseek.r1-v1:0", "ai21.jamba-1-5-large-v1:0", "ai21.jamba-1-5-mini-v1:0"})
    void coversCurrentModels(String id) {
        ModelPrice price = BUNDLED.models().get(id);
        assertTrue(price != null, id);
        assertTrue(price.inputPerMillion().signum() > 0, id);
    }

    @Test
    void claude3HaikuHasTheContractsPrices() {
        ModelPrice haiku = BUNDLED.models().get("anthropic.claude-3-haiku-20240307-v1:0");
        assertEquals(new ModelPrice(new BigDecimal("0.25"), new BigDecimal("1.25"), new BigDecimal("0.03"),
                new BigDecimal("0.30")), haiku); // exact scale too: the numbers as written
    }

    @Test
    void regionalProfilesOfTheNewestClaudeCostTenPercentMoreThanGlobal() {
        List<String> newest = List.of("anthropic.claude-sonnet-4-5-20250929-v1:0",
                "anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-opus-4-5-20251101-v1:0");
        BigDecimal premium = new BigDecimal("1.1");
        for (String base : newest) {
            ModelPrice global = BUNDLED.models().get(base);
            for (String geo : List.of("us", "eu", "apac")) {
                ModelPrice regional = BUNDLED.models().get(geo + "." + base);
                assertTrue(regional != null, geo + "." + base);
                List<Function<ModelPrice, BigDecimal>> fields = List.of(ModelPrice::inputPerMillion,
                        ModelPrice::outputPerMillion, ModelPrice::cacheReadPerMillion, ModelPrice::cacheWritePerMillion);
                for (var field : fields) {
                    assertEquals(0, field.apply(global).multiply(premium).compareTo(field.apply(regional)), geo + "." + base);
                }
            }
            assertTrue(!BUNDLED.models().containsKey("global." + base), "global. is the bare price, by fallback");
        }
    }

    @Test
    void embeddingsChargeInputOnly() {
        for (String id : List.of("amazon.titan-embed-text-v1", "amazon.titan-embed-text-v2:0",
                "cohere.embed-english-v3", "cohere.embed-multilingual-v3")) {
            assertEquals(0, BUNDLED.models().get(id).outputPerMillion().signum(), id);
        }
    }

    @Test
    void novaCacheReadsAreAQuarterOfInput() {
        for (String id : List.of("amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0")) {
            ModelPrice nova = BUNDLED.models().get(id);
            assertEquals(0, nova.inputPerMillion().compareTo(nova.cacheReadPerMillion().multiply(BigDecimal.valueOf(4))), id);
        }
    }
}
