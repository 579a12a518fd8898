package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bedrocktenant.wire.BedrockOperation;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class InvokeModelUsageReaderTest {

    private static UsageExtractor fresh() {
        return UsageExtractors.forOperation(BedrockOperation.INVOKE_MODEL);
    }

    @Test
    void readsTheTokenCountHeadersOfACapturedSimulatorResponse() {
        UsageExtractor extractor = Fixture.captured("invoke-model-simulator").feedWhole(fresh());
        assertEquals(Tokens.of(25, 4, 40L, 12L), extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void headerNamesMatchWhateverTheirCase() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("x-amzn-bedrock-input-token-count", "11")
                .add("X-AMZN-BEDROCK-OUTPUT-TOKEN-COUNT", "22")
                .add("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", "0");
        UsageExtractor extractor = fresh();
        extractor.onHeaders(200, headers);
        assertEquals(Tokens.of(11, 22, 0L, null), extractor.usage(), "absent cache write is not reported, not 0");
    }

    @Test
    void noHeadersMeansNotReported() {
        UsageExtractor extractor = fresh();
        extractor.onHeaders(200, Chunks.JSON_HEADERS);
        extractor.onBytes(Buffer.buffer("{\"usage\":{\"input_tokens\":5}}"));
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
        assertFalse(extractor.unreadable());
        assertTrue(extractor.outputProduced(), "a success without counts used tokens all the same");
    }

    @Test
    void aNonNumericCountIsUnreadable() {
        for (String value : new String[] {"ten", "-1", "", "1.0"}) {
            UsageExtractor extractor = fresh();
            extractor.onHeaders(200, MultiMap.caseInsensitiveMultiMap()
                    .add("X-Amzn-Bedrock-Input-Token-Count", "5")
                    .add("X-Amzn-Bedrock-Output-Token-Count", value));
            assertTrue(extractor.unreadable(), value);
        }
    }

    @Test
    void anErrorResponseHasNoUsage() {
        UsageExtractor extractor = fresh();
        extractor.onHeaders(424, MultiMap.caseInsensitiveMultiMap().add("X-Amzn-Bedrock-Input-Token-Count", "5"));
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
        assertFalse(extractor.unreadable());
        assertFalse(extractor.outputProduced());
    }
}
