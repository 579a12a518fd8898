package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.function.Supplier;

import dev.bedrocktenant.wire.BedrockOperation;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConverseUsageReaderTest {

    private static final Supplier<UsageExtractor> FRESH = () -> UsageExtractors.forOperation(BedrockOperation.CONVERSE);
    private static final TokenUsage NESTED_USAGE = Tokens.of(1520, 212, 4096L, 0L);

    @Test
    void readsTheUsageOfACapturedSimulatorResponse() {
        UsageExtractor extractor = Fixture.captured("converse-simulator").feedWhole(FRESH.get());
        assertEquals(Tokens.of(25, 4, 40L, 12L), extractor.usage());
        assertFalse(extractor.unreadable());
        assertTrue(extractor.firstTokenNanos().isEmpty());
    }

    @Test
    void cacheCountsTheResponseLeavesOutAreNotReportedRatherThanZero() {
        UsageExtractor extractor = Fixture.captured("converse-no-cache-simulator").feedWhole(FRESH.get());
        assertEquals(Tokens.of(9, 3, null, null), extractor.usage());
    }

    @Test
    void aReportedZeroStaysZero() {
        UsageExtractor extractor = Fixture.okJson("converse-nested-usage.json").feedWhole(FRESH.get());
        assertEquals(OptionalLong.of(0), extractor.usage().cacheWriteTokens());
    }

    @Test
    void takesOnlyTheTopLevelUsageNotTheOnesNestedInContentToolInputOrTrace() {
        UsageExtractor extractor = Fixture.okJson("converse-nested-usage.json").feedWhole(FRESH.get());
        assertEquals(NESTED_USAGE, extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void everySplitIntoTwoChunksGivesTheSameUsage() {
        for (String file : new String[] {"converse-nested-usage.json", "converse-simulator.body"}) {
            Buffer body = Buffer.buffer(Fixture.bytes(file));
            TokenUsage whole = Fixture.okJson(file).feedWhole(FRESH.get()).usage();
            for (int at = 0; at <= body.length(); at++) {
                UsageExtractor split = Chunks.splitAt(FRESH, Chunks.JSON_HEADERS, body, at);
                assertEquals(whole, split.usage(), file + " split at " + at);
                assertFalse(split.unreadable(), file + " split at " + at);
            }
        }
    }

    @Test
    void byteByByteGivesTheSameUsage() {
        Buffer body = Buffer.buffer(Fixture.bytes("converse-nested-usage.json"));
        UsageExtractor extractor = Chunks.byteByByte(FRESH, Chunks.JSON_HEADERS, body);
        assertEquals(NESTED_USAGE, extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void aBodyCutOffBeforeTheUsageEndsReportsNothing() {
        byte[] body = Fixture.bytes("converse-simulator.body");
        String text = new String(body, StandardCharsets.UTF_8);
        int usageEnds = text.indexOf('}', text.indexOf("\"usage\""));
        for (int cut = 0; cut < usageEnds; cut++) {
            UsageExtractor extractor = FRESH.get();
            extractor.onHeaders(200, Chunks.JSON_HEADERS);
            extractor.onBytes(Buffer.buffer(body).getBuffer(0, cut));
            assertEquals(TokenUsage.NOT_REPORTED, extractor.usage(), "cut at " + cut);
            assertFalse(extractor.unreadable());
            assertTrue(extractor.outputProduced(), "Bedrock answered once the output was generated");
        }
    }

    @Test
    void nestedUsageKeysBeforeTheRealOneAreNeverReported() {
        byte[] body = Fixture.bytes("converse-nested-usage.json");
        int topLevelUsage = new String(body, StandardCharsets.UTF_8).lastIndexOf("\"usage\"");
        for (int cut = 0; cut <= topLevelUsage; cut++) {
            UsageExtractor extractor = FRESH.get();
            extractor.onHeaders(200, Chunks.JSON_HEADERS);
            extractor.onBytes(Buffer.buffer(body).getBuffer(0, cut));
            assertEquals(TokenUsage.NOT_REPORTED, extractor.usage(), "cut at " + cut);
        }
    }

    @Test
    void aNestedUsageAfterTheRealOneDoesNotReplaceIt() {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(200, Chunks.JSON_HEADERS);
        extractor.onBytes(Buffer.buffer("{\"usage\":{\"inputTokens\":3,\"outputTokens\":4},"
                + "\"trace\":{\"guardrail\":{\"usage\":{\"inputTokens\":99,\"outputTokens\":99}}},"
                + "\"additionalModelResponseFields\":[{\"usage\":{\"inputTokens\":98}}]}"));
        assertEquals(Tokens.of(3, 4, null, null), extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void anErrorResponseHasNoUsageAndIsNotUnreadable() {
        UsageExtractor extractor = Fixture.captured("converse-throttled-simulator").feedWhole(FRESH.get());
        assertEquals(429, Fixture.captured("converse-throttled-simulator").status());
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
        assertFalse(extractor.unreadable());
        assertFalse(extractor.outputProduced(), "an error is no output: nothing was used");
    }

    @Test
    void anErrorBodyThatIsNotEvenJsonIsStillNotUnreadable() {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(502, Chunks.JSON_HEADERS);
        extractor.onBytes(Buffer.buffer("<html>Bad Gateway</html>"));
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"output\":{}, \"usage\":{\"inputTokens\":5,,}}",
            "{\"usage\":{\"inputTokens\":\"five\",\"outputTokens\":1}}",
            "{\"usage\":{\"inputTokens\":1.5,\"outputTokens\":1}}",
            "{\"usage\":{\"inputTokens\":-1,\"outputTokens\":1}}",
            "{\"usage\":{\"inputTokens\":99999999999999999999999,\"outputTokens\":1}}",
            "{\"usage\":{\"inputTokens\":{},\"outputTokens\":1}}",
            "{\"usage\":[1,2]}",
            "{\"usage\":42}",
            "not json at all",
            "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2}}}"})
    void malformedBodiesAreUnreadableAndNeverThrow(String body) {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(200, Chunks.JSON_HEADERS);
        extractor.onBytes(Buffer.buffer(body));
        extractor.onBytes(Buffer.buffer("{\"usage\":{\"inputTokens\":1,\"outputTokens\":2}}"));
        assertTrue(extractor.unreadable(), body);
    }

    @Test
    void textThatLooksLikeTheUsageKeyOrBracketsInsideStringsIsNotTaken() {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(200, Chunks.JSON_HEADERS);
        extractor.onBytes(Buffer.buffer("{\"output\":{\"text\":\"}, \\\"usage\\\": {\\\"inputTokens\\\": 99} [\"},"
                + "\"usage \":{\"inputTokens\":98},\"usage\":{\"inputTokens\":2,\"outputTokens\":3}}"));
        assertEquals(Tokens.of(2, 3, null, null), extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void aLargeMemberOfTheUsageIsPassedOverNotKept() {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(200, Chunks.JSON_HEADERS);
        extractor.onBytes(Buffer.buffer("{\"usage\":{\"inputTokens\":2,\"padding\":\""));
        for (int i = 0; i < 1_000; i++) {
            extractor.onBytes(Buffer.buffer("x".repeat(1024)));
        }
        extractor.onBytes(Buffer.buffer("\",\"outputTokens\":3}}"));
        assertEquals(Tokens.of(2, 3, null, null), extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void theGeneratedTextIsNotValidatedOnlyFollowed() {
        // the proxy reads the usage; whether the text is good UTF-8 is the application's SDK's concern
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(200, Chunks.JSON_HEADERS);
        extractor.onBytes(Buffer.buffer("{\"output\":{\"text\":\"").appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28})
                .appendString("\\\"}\\\\\"},\"usage\":{\"inputTokens\":2,\"outputTokens\":3}}"));
        assertEquals(Tokens.of(2, 3, null, null), extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void unknownUsageMembersAreSkipped() {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(200, Chunks.JSON_HEADERS);
        extractor.onBytes(Buffer.buffer("{\"usage\":{\"inputTokens\":3,\"future\":{\"a\":[1,{\"outputTokens\":9}]},"
                + "\"outputTokens\":4,\"totalTokens\":7,\"cacheReadInputTokens\":null}}"));
        assertEquals(Tokens.of(3, 4, null, null), extractor.usage());
        assertFalse(extractor.unreadable());
    }
}
