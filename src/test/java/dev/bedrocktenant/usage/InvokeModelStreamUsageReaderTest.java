package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import dev.bedrocktenant.wire.BedrockOperation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class InvokeModelStreamUsageReaderTest {

    private static final Supplier<UsageExtractor> FRESH =
            () -> UsageExtractors.forOperation(BedrockOperation.INVOKE_MODEL_WITH_RESPONSE_STREAM);
    private static final StreamFixture SIMULATOR = StreamFixture.captured("invoke-model-stream-simulator");
    private static final StreamFixture ANTHROPIC = StreamFixture.written("invoke-model-stream-anthropic.events.json");
    private static final TokenUsage SIMULATOR_USAGE = Tokens.of(25, 4, 40L, 12L);
    private static final TokenUsage ANTHROPIC_USAGE = Tokens.of(21, 43, 0L, 1024L);

    @Test
    void readsTheInvocationMetricsOfACapturedSimulatorStream() {
        UsageExtractor extractor = SIMULATOR.feedFrames(FRESH.get());
        assertEquals(SIMULATOR_USAGE, extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void readsTheFinalChunkOfAnAnthropicStreamNotTheModelsOwnUsageNorTextMentioningMetrics() {
        UsageExtractor extractor = ANTHROPIC.feedFrames(FRESH.get());
        assertEquals(ANTHROPIC_USAGE, extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void everySplitAtAFrameBoundaryGivesTheSameUsage() {
        for (StreamFixture stream : List.of(SIMULATOR, ANTHROPIC)) {
            TokenUsage expected = stream == SIMULATOR ? SIMULATOR_USAGE : ANTHROPIC_USAGE;
            for (int n = 0; n <= stream.frames().size(); n++) {
                UsageExtractor extractor = stream.feedSplitAtFrame(FRESH.get(), n);
                assertEquals(expected, extractor.usage(), "split after frame " + n);
                assertFalse(extractor.unreadable());
            }
        }
    }

    @Test
    void aStreamCutBeforeTheFinalChunkReportsNothing() {
        for (int n = 0; n < ANTHROPIC.frames().size(); n++) {
            UsageExtractor extractor = ANTHROPIC.firstFrames(n).feedFrames(FRESH.get());
            assertEquals(TokenUsage.NOT_REPORTED, extractor.usage(), n + " frames");
            assertFalse(extractor.unreadable());
        }
    }

    @Test
    void cacheCountsLeftOutAreNotReportedRatherThanZero() {
        JsonObject last = new JsonObject().put("type", "message_stop").put(ModelChunk.METRICS,
                new JsonObject().put("inputTokenCount", 10).put("outputTokenCount", 0).put("invocationLatency", 5));
        UsageExtractor extractor = ANTHROPIC.firstFrames(8).plus(chunk(StreamFixture.base64(last))).feedFrames(FRESH.get());
        assertEquals(Tokens.of(10, 0, null, null), extractor.usage());
    }

    @Test
    void firstTokenTimeIsSetByTheFirstContentDeltaNotByMessageStartOrPing() {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(200, Chunks.EVENT_STREAM_HEADERS);
        for (int i = 0; i < 3; i++) { // message_start, content_block_start, ping
            extractor.onBytes(ANTHROPIC.frames().get(i));
        }
        assertTrue(extractor.firstTokenNanos().isEmpty());
        assertFalse(extractor.outputProduced());

        long before = System.nanoTime();
        extractor.onBytes(ANTHROPIC.frames().get(3));
        long after = System.nanoTime();
        long first = extractor.firstTokenNanos().orElseThrow();
        assertTrue(before <= first && first <= after);
        assertTrue(extractor.outputProduced());

        ANTHROPIC.frames().subList(4, ANTHROPIC.frames().size()).forEach(extractor::onBytes);
        assertEquals(first, extractor.firstTokenNanos().orElseThrow());
    }

    @Test
    void anyChunkOfAModelWithoutFramingEventsIsContent() {
        JsonObject titan = new JsonObject().put("outputText", "Hi").put("index", 0);
        UsageExtractor extractor = new StreamFixture(List.of(chunk(StreamFixture.base64(titan)))).feedFrames(FRESH.get());
        assertTrue(extractor.firstTokenNanos().isPresent());
    }

    @Test
    void badBase64IsUnreadableButLaterChunksStillCount() {
        UsageExtractor extractor = ANTHROPIC.firstFrames(4).plus(chunk("not*base64!"))
                .plus(ANTHROPIC.frames().get(8)).feedFrames(FRESH.get());
        assertTrue(extractor.unreadable());
        assertEquals(ANTHROPIC_USAGE, extractor.usage());
    }

    @Test
    void malformedChunksAreUnreadableAndNeverThrow() {
        String[] payloads = {
                "{\"bytes\":",
                "{\"p\":\"abc\"}",
                "{\"bytes\":\"" + base64Text("{\"type\":\"message_stop\",") + "\"}",
                "{\"bytes\":\"" + base64Text("{\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":\"7\"}}") + "\"}",
                "{\"bytes\":\"" + base64Text("{\"amazon-bedrock-invocationMetrics\":[]}") + "\"}"};
        for (String payload : payloads) {
            UsageExtractor extractor = ANTHROPIC.firstFrames(4)
                    .plus(StreamFixture.event("chunk", payload.getBytes(StandardCharsets.UTF_8)))
                    .feedFrames(FRESH.get());
            assertTrue(extractor.unreadable(), payload);
            assertEquals(TokenUsage.NOT_REPORTED, extractor.usage(), payload);
        }
    }

    @Test
    void exceptionEventsCarryNoUsage() {
        UsageExtractor extractor = ANTHROPIC.firstFrames(5)
                .plus(StreamFixture.exception("modelStreamErrorException", "boom")).feedFrames(FRESH.get());
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
        assertFalse(extractor.unreadable());
    }

    private static Buffer chunk(String base64) {
        return StreamFixture.event("chunk", new JsonObject().put("bytes", base64).encode().getBytes(StandardCharsets.UTF_8));
    }

    private static String base64Text(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
