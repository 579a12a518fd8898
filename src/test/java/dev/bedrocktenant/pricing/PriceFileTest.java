package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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
