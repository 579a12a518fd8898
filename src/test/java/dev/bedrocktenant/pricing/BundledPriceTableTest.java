package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bedrocktenant.profile.ModelId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundledPriceTableTest {

    private static final PriceFile BUNDLED = PriceFile.bundled();
    private static final String GLOBAL = "global.";

    @Test
    void loadsAndStatesItsSourceAndDate() {
        assertTrue(BUNDLED.models().size() >= 100, "models: " + BUNDLED.models().size());
        assertTrue(BUNDLED.source().orElseThrow().contains("us-east-1"));
        assertTrue(BUNDLED.asOf().orElseThrow().matches("\\d{4}-\\d{2}-\\d{2}"));
        assertEquals(BUNDLED.models().size(), new PriceTable(Optional.empty()).prices().size());
    }

    @Test
    void everyEntryCitesADescribedSourceAndTheDayItWasChecked() {
        LocalDate asOf = LocalDate.parse(BUNDLED.asOf().orElseThrow());
        BUNDLED.models().keySet().forEach(id -> {
            Provenance provenance = BUNDLED.provenance().get(id);
            assertFalse(provenance.sources().isEmpty(), id);
            assertTrue(BUNDLED.sources().keySet().containsAll(provenance.sources()), id);
            assertFalse(provenance.checked().orElseThrow(() -> new AssertionError(id + " has no date")).isAfter(asOf), id);
        });
        Set<String> cited = BUNDLED.provenance().values().stream().flatMap(p -> p.sources().stream()).collect(Collectors.toSet());
        assertEquals(BUNDLED.sources().keySet(), cited, "every source described is one some entry cites");
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
            "anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-sonnet-4-6", "anthropic.claude-opus-4-6-v1",
            "anthropic.claude-opus-4-7", "anthropic.claude-opus-4-8", "anthropic.claude-opus-5", "anthropic.claude-sonnet-5",
            "anthropic.claude-fable-5",
            "amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0", "amazon.nova-premier-v1:0",
            "amazon.nova-2-lite-v1:0",
            "amazon.titan-text-express-v1", "amazon.titan-text-lite-v1", "amazon.titan-text-premier-v1:0",
            "amazon.titan-embed-text-v1", "amazon.titan-embed-text-v2:0",
            "meta.llama3-8b-instruct-v1:0", "meta.llama3-70b-instruct-v1:0", "meta.llama3-1-8b-instruct-v1:0",
            "meta.llama3-1-70b-instruct-v1:0", "meta.llama3-1-405b-instruct-v1:0", "meta.llama3-2-1b-instruct-v1:0",
            "meta.llama3-2-3b-instruct-v1:0", "meta.llama3-2-11b-instruct-v1:0", "meta.llama3-2-90b-instruct-v1:0",
            "meta.llama3-3-70b-instruct-v1:0", "meta.llama4-scout-17b-instruct-v1:0",
            "meta.llama4-maverick-17b-instruct-v1:0",
            "mistral.mistral-7b-instruct-v0:2", "mistral.mixtral-8x7b-instruct-v0:1", "mistral.mistral-small-2402-v1:0",
            "mistral.mistral-large-2402-v1:0", "mistral.mistral-large-2407-v1:0", "mistral.pixtral-large-2502-v1:0",
            "mistral.mistral-large-3-675b-instruct", "mistral.ministral-3-3b-instruct", "mistral.ministral-3-8b-instruct",
            "mistral.ministral-3-14b-instruct", "mistral.magistral-small-2509", "mistral.devstral-2-123b",
            "cohere.command-r-v1:0", "cohere.command-r-plus-v1:0", "cohere.embed-english-v3",
            "cohere.embed-multilingual-v3", "cohere.embed-v4:0", "deepseek.r1-v1:0", "deepseek.v3-v1:0", "deepseek.v3.2",
            "ai21.jamba-1-5-large-v1:0", "ai21.jamba-1-5-mini-v1:0",
            "openai.gpt-oss-120b-1:0", "openai.gpt-oss-20b-1:0", "openai.gpt-oss-safeguard-120b",
            "openai.gpt-oss-safeguard-20b", "qwen.qwen3-32b-v1:0", "qwen.qwen3-coder-30b-a3b-v1:0",
            "qwen.qwen3-235b-a22b-2507-v1:0", "qwen.qwen3-coder-480b-a35b-v1:0", "qwen.qwen3-vl-235b-a22b",
            "google.gemma-3-4b-it", "google.gemma-3-12b-it", "google.gemma-3-27b-it", "nvidia.nemotron-nano-3-30b",
            "nvidia.nemotron-super-3-120b", "moonshot.kimi-k2-thinking", "moonshotai.kimi-k2.5", "minimax.minimax-m2",
            "zai.glm-4.7", "zai.glm-5", "writer.palmyra-x4-v1:0", "writer.palmyra-x5-v1:0"})
    void coversCurrentModels(String id) {
        ModelPrice price = BUNDLED.models().get(id);
        assertTrue(price != null, id);
        assertTrue(price.inputPerMillion().signum() > 0, id);
    }

    @Test
    void claude3HaikuListsNoCachePrice() {
        // AWS lists none for it: its cache tokens, if any are reported, are billed as input tokens
        ModelPrice haiku = BUNDLED.models().get("anthropic.claude-3-haiku-20240307-v1:0");
        assertEquals(haiku.inputPerMillion(), haiku.cacheReadPerMillion());
        assertEquals(haiku.inputPerMillion(), haiku.cacheWritePerMillion());
    }

    @Test
    void splitModelsCostTenPercentMoreInRegionThanGlobally() {
        List<String> split = List.of("anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0",
                "anthropic.claude-opus-4-5-20251101-v1:0", "anthropic.claude-sonnet-4-6", "anthropic.claude-opus-4-6-v1",
                "anthropic.claude-opus-4-7", "anthropic.claude-opus-4-8", "anthropic.claude-opus-5", "anthropic.claude-sonnet-5",
                "anthropic.claude-fable-5", "amazon.nova-2-lite-v1:0");
        Set<String> globals = splitModels();
        assertTrue(globals.containsAll(split), "a global. entry for each of " + split);
        List<Function<ModelPrice, BigDecimal>> fields = List.of(ModelPrice::inputPerMillion, ModelPrice::outputPerMillion,
                ModelPrice::cacheReadPerMillion, ModelPrice::cacheWritePerMillion);
        BigDecimal premium = new BigDecimal("1.1");
        for (String base : globals) {
            ModelPrice regional = BUNDLED.models().get(base);
            ModelPrice global = BUNDLED.models().get(GLOBAL + base);
            assertTrue(regional != null, "the bare id, an in-Region call, is priced: " + base);
            for (var field : fields) {
                assertEquals(0, field.apply(global).multiply(premium).compareTo(field.apply(regional)), base);
            }
        }
    }

    @Test
    void geographicProfilesOfSplitModelsTakeTheBarePrice() {
        // an entry of their own could only drift from the regional price they all share
        Set<String> split = splitModels();
        BUNDLED.models().keySet().forEach(id -> ModelId.parse(id).geoPrefix().filter(geo -> !geo.equals("global"))
                .ifPresent(geo -> assertFalse(split.contains(id.substring(geo.length() + 1)), id)));
    }

    /** The base ids that have a global. entry of their own. */
    private static Set<String> splitModels() {
        return BUNDLED.models().keySet().stream().filter(id -> id.startsWith(GLOBAL))
                .map(id -> id.substring(GLOBAL.length())).collect(Collectors.toSet());
    }

    @Test
    void embeddingsChargeInputOnly() {
        for (String id : List.of("amazon.titan-embed-text-v1", "amazon.titan-embed-text-v2:0",
                "cohere.embed-english-v3", "cohere.embed-multilingual-v3", "cohere.embed-v4:0")) {
            assertEquals(0, BUNDLED.models().get(id).outputPerMillion().signum(), id);
        }
    }

    @Test
    void novaCacheReadsAreAQuarterOfInput() {
        for (String id : List.of("amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0",
                "amazon.nova-2-lite-v1:0", "global.amazon.nova-2-lite-v1:0")) {
            ModelPrice nova = BUNDLED.models().get(id);
            assertEquals(0, nova.inputPerMillion().compareTo(nova.cacheReadPerMillion().multiply(BigDecimal.valueOf(4))), id);
        }
    }
}
