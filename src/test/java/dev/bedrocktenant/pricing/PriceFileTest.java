package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.usage.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceFileTest {

    private static final String HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0";

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, json);
        return file;
    }

    private String rejected(String json) throws IOException {
        Path file = write(json);
        String message = assertThrows(InvalidPriceFile.class, () -> new PriceTable(Optional.of(file))).getMessage();
        assertTrue(message.contains(file.toString()), message);
        return message;
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' not in: " + message);
        }
    }

    @Test
    void overrideAddsAndReplacesEntries() throws IOException {
        Path file = write("""
                {"source": "our negotiated prices", "asOf": "2026-01-01", "models": {
                  "acme.private-model-v1:0": {"inputPerMillion": 1, "outputPerMillion": 2},
                  "anthropic.claude-3-haiku-20240307-v1:0": {"inputPerMillion": 0.2, "outputPerMillion": 1.0}
                }}""");
        PriceTable bundled = new PriceTable(Optional.empty());
        PriceTable table = new PriceTable(Optional.of(file));
        assertEquals(bundled.prices().size() + 1, table.prices().size());
        assertEquals(0, new BigDecimal("0.000003").compareTo(table.costOf("acme.private-model-v1:0", TokenUsage.of(1, 1)).usd()));
        // the entry is replaced whole: its cache prices are now the input price, not the bundled ones
        ModelPrice haiku = table.priceOf(HAIKU_3).orElseThrow();
        assertEquals(new BigDecimal("0.2"), haiku.cacheReadPerMillion());
        assertEquals(new BigDecimal("0.2"), haiku.cacheWritePerMillion());
        // untouched entries stay
        assertEquals(bundled.priceOf("amazon.nova-pro-v1:0"), table.priceOf("amazon.nova-pro-v1:0"));
    }

    @Test
    void theDocumentedOverrideFormatStillOverrides() throws IOException {
        // what an operator copies from the documentation: no sources, no dates, cache prices given
        Path file = write("""
                { "models": { "anthropic.claude-3-haiku-20240307-v1:0":
                    { "inputPerMillion": 0.25, "outputPerMillion": 1.25,
                      "cacheReadPerMillion": 0.03, "cacheWritePerMillion": 0.30 } } }""");
        TokenUsage tokens = new TokenUsage(OptionalLong.of(1000), OptionalLong.of(500), OptionalLong.of(200), OptionalLong.of(100));
        // 1000 × 0.25 + 500 × 1.25 + 200 × 0.03 + 100 × 0.30 = 250 + 625 + 6 + 30 = 911, per million; the bundled
        // table lists no cache price for this model, so without the override its cache tokens cost 0.25
        assertEquals(0, new BigDecimal("0.000911").compareTo(new PriceTable(Optional.of(file)).costOf(HAIKU_3, tokens).usd()));
        assertEquals(0, new BigDecimal("0.00095").compareTo(new PriceTable(Optional.empty()).costOf(HAIKU_3, tokens).usd()));
        assertEquals(Provenance.UNSTATED, PriceFile.read(file).provenance().get(HAIKU_3));
    }

    @Test
    void entriesCiteTheFilesSourcesAndADate() {
        PriceFile file = PriceFile.parse("""
                {"sources": {"page": "the vendor's page, 2026-11-30", "table": "a public table"},
                 "models": {"acme.m-v1": {"inputPerMillion": 1, "outputPerMillion": 2,
                                          "source": ["page", "table"], "checked": "2026-12-01"},
                            "acme.n-v1": {"inputPerMillion": 1, "outputPerMillion": 2}}}""", "test");
        assertEquals(new Provenance(List.of("page", "table"), Optional.of(LocalDate.of(2026, 12, 1))),
                file.provenance().get("acme.m-v1"));
        assertEquals(Provenance.UNSTATED, file.provenance().get("acme.n-v1"));
        assertEquals("a public table", file.sources().get("table"));
    }

    @Test
    void citationsAndDatesThatTraceNothingAreRefused() throws IOException {
        String entry = "\"acme.m-v1\": {\"inputPerMillion\": 1, \"outputPerMillion\": 2, ";
        assertMentions(rejected("{\"sources\": {\"page\": \"p\"}, \"models\": {" + entry + "\"source\": [\"paeg\"]}}}"),
                "acme.m-v1", "\"paeg\"", "known: page");
        assertMentions(rejected("{\"models\": {" + entry + "\"source\": [\"page\"]}}}"), "acme.m-v1", "\"page\"", "not a key");
        assertMentions(rejected("{\"sources\": {\"page\": \"p\"}, \"models\": {" + entry + "\"source\": \"page\"}}}"),
                "acme.m-v1", "'source'", "list");
        assertMentions(rejected("{\"models\": {" + entry + "\"checked\": \"2026-13-01\"}}}"), "acme.m-v1", "'checked'", "YYYY-MM-DD");
        assertMentions(rejected("{\"models\": {" + entry + "\"checked\": 20261201}}}"), "acme.m-v1", "'checked'");
        assertMentions(rejected("{\"sources\": {\"page\": \"\"}, \"models\": {}}"), "source 'page'", "non-empty");
        assertMentions(rejected("{\"sources\": [\"page\"], \"models\": {}}"), "'sources'", "object");
    }

    @Test
    void numbersAreReadExactlyAsWritten() {
        PriceFile file = PriceFile.parse("""
                {"models": {"acme.m-v1": {"inputPerMillion": 0.1000000000000000055511151231257827,
                  "outputPerMillion": 1e-7, "cacheReadPerMillion": 12345678901234567890.5}}}""", "test");
        ModelPrice price = file.models().get("acme.m-v1");
        assertEquals(new BigDecimal("0.1000000000000000055511151231257827"), price.inputPerMillion());
        assertEquals(0, new BigDecimal("0.0000001").compareTo(price.outputPerMillion()));
        assertEquals(new BigDecimal("12345678901234567890.5"), price.cacheReadPerMillion());
    }

    @Test
    void anEmptyOverrideChangesNothing() throws IOException {
        assertEquals(new PriceTable(Optional.empty()).prices(), new PriceTable(Optional.of(write("{\"models\": {}}"))).prices());
    }

    @Test
    void negativePriceNamesModelAndField() throws IOException {
        assertMentions(rejected("{\"models\": {\"acme.m-v1\": {\"inputPerMillion\": 1, \"outputPerMillion\": -0.5}}}"),
                "acme.m-v1", "outputPerMillion", "negative", "-0.5");
    }

    @Test
    void unknownFieldNamesModelAndField() throws IOException {
        assertMentions(rejected("{\"models\": {\"acme.m-v1\": {\"inputPerMillion\": 1, \"outputPerMillion\": 2, \"cacheReadPerMilion\": 0.1}}}"),
                "acme.m-v1", "unknown field 'cacheReadPerMilion'");
    }

    @Test
    void missingPriceNamesModelAndField() throws IOException {
        assertMentions(rejected("{\"models\": {\"acme.m-v1\": {\"inputPerMillion\": 1}}}"),
                "acme.m-v1", "outputPerMillion", "required");
    }

    @Test
    void aQuotedOrNullPriceIsRefused() throws IOException {
        assertMentions(rejected("{\"models\": {\"acme.m-v1\": {\"inputPerMillion\": \"0.25\", \"outputPerMillion\": 1}}}"),
                "acme.m-v1", "inputPerMillion", "must be a number");
        assertMentions(rejected("{\"models\": {\"acme.m-v1\": {\"inputPerMillion\": 1, \"outputPerMillion\": 1, \"cacheWritePerMillion\": null}}}"),
                "acme.m-v1", "cacheWritePerMillion", "must be a number");
    }

    @Test
    void blankOrPaddedIdsAreRefused() throws IOException {
        assertMentions(rejected("{\"models\": {\" \": {\"inputPerMillion\": 1, \"outputPerMillion\": 1}}}"), "non-blank");
        assertMentions(rejected("{\"models\": {\"acme.m-v1 \": {\"inputPerMillion\": 1, \"outputPerMillion\": 1}}}"),
                "'acme.m-v1 '", "surrounding spaces");
    }

    @Test
    void aModelWrittenTwiceIsRefused() throws IOException {
        assertMentions(rejected("""
                {"models": {"acme.m-v1": {"inputPerMillion": 1, "outputPerMillion": 1},
                            "acme.m-v1": {"inputPerMillion": 2, "outputPerMillion": 2}}}"""), "acme.m-v1", "Duplicate");
    }

    @Test
    void structuralMistakesAreRefused() throws IOException {
        assertMentions(rejected("{\"models\": {\"acme.m-v1\": 3}}"), "acme.m-v1", "must be an object");
        assertMentions(rejected("{\"model\": {}}"), "unknown field 'model'");
        assertMentions(rejected("{\"source\": \"x\"}"), "no \"models\" object");
        assertMentions(rejected("[]"), "JSON object");
        assertMentions(rejected(""), "JSON object");
        assertMentions(rejected("{\"models\": {"), "not valid JSON", "line 1");
        assertMentions(rejected("{\"asOf\": 2025, \"models\": {}}"), "asOf", "string");
    }

    @Test
    void aMissingOverrideFileIsRefused() {
        Path missing = dir.resolve("nope.json");
        String message = assertThrows(InvalidPriceFile.class, () -> new PriceTable(Optional.of(missing))).getMessage();
        assertMentions(message, missing.toString(), "cannot be read");
    }
}
