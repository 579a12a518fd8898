package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import dev.bedrocktenant.wire.BedrockOperation;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class ConverseStreamUsageReaderTest {

    private static final Supplier<UsageExtractor> FRESH =
            () -> UsageExtractors.forOperation(BedrockOperation.CONVERSE_STREAM);
    private static final StreamFixture SIMULATOR = StreamFixture.captured("converse-stream-simulator");
    private static final StreamFixture CACHED = StreamFixture.written("converse-stream-cached.events.json");
    private static final TokenUsage SIMULATOR_USAGE = Tokens.of(25, 4, 40L, 12L);
    private static final TokenUsage CACHED_USAGE = Tokens.of(37, 58, 2048L, 512L);

    @Test
    void readsTheMetadataUsageOfACapturedSimulatorStream() {
        // messageStart, contentBlockDelta × 4, contentBlockStop, messageStop, metadata
        assertEquals(8, SIMULATOR.frames().size());
        UsageExtractor extractor = SIMULATOR.feedFrames(FRESH.get());
        assertEquals(SIMULATOR_USAGE, extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void readsCacheTokensOfABedrockShapedStreamAndIgnoresUsageMentionedInText() {
        UsageExtractor extractor = CACHED.feedFrames(FRESH.get());
        assertEquals(CACHED_USAGE, extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void everySplitAtAFrameBoundaryGivesTheSameUsage() {
        for (StreamFixture stream : List.of(SIMULATOR, CACHED)) {
            TokenUsage expected = stream == SIMULATOR ? SIMULATOR_USAGE : CACHED_USAGE;
            for (int n = 0; n <= stream.frames().size(); n++) {
                UsageExtractor extractor = stream.feedSplitAtFrame(FRESH.get(), n);
                assertEquals(expected, extractor.usage(), "split after frame " + n);
                assertFalse(extractor.unreadable());
            }
        }
    }

    @Test
    void aStreamCutBeforeMetadataReportsNothing() {
        for (int n = 0; n < CACHED.frames().size(); n++) {
            UsageExtractor extractor = CACHED.firstFrames(n).feedFrames(FRESH.get());
            assertEquals(TokenUsage.NOT_REPORTED, extractor.usage(), n + " frames");
            assertFalse(extractor.usage().reported());
            assertFalse(extractor.unreadable());
        }
    }

    @Test
    void aStreamEndedByTheRelaysFaultFrameReportsNothingAndIsNotUnreadable() {
        UsageExtractor extractor = CACHED.firstFrames(3)
                .plus(StreamFixture.exception("serviceUnavailableException", "Bedrock's response stream broke off"))
                .feedFrames(FRESH.get());
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void aCapturedThrottlingExceptionEventCarriesNoUsage() {
        StreamFixture throttled = StreamFixture.captured("converse-stream-throttled-simulator");
        UsageExtractor extractor = throttled.feedFrames(FRESH.get());
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
        assertFalse(extractor.unreadable());
        assertTrue(extractor.firstTokenNanos().isPresent(), "two deltas came before the exception");
        assertEquals(java.util.Optional.of("throttlingException"), extractor.streamException());
    }

    @Test
    void aCompleteStreamEndedByNoException() {
        assertEquals(java.util.Optional.empty(), SIMULATOR.feedFrames(FRESH.get()).streamException());
    }

    @Test
    void firstTokenTimeIsSetByTheFirstDeltaAndNotBefore() {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(200, Chunks.EVENT_STREAM_HEADERS);
        extractor.onBytes(CACHED.frames().get(0));
        assertTrue(extractor.firstTokenNanos().isEmpty(), "messageStart is not a token");
        assertFalse(extractor.outputProduced(), "nor output");

        long before = System.nanoTime();
        extractor.onBytes(CACHED.frames().get(1));
        long after = System.nanoTime();
        long first = extractor.firstTokenNanos().orElseThrow();
        assertTrue(before <= first && first <= after);
        assertTrue(extractor.outputProduced());

        CACHED.frames().subList(2, CACHED.frames().size()).forEach(extractor::onBytes);
        assertEquals(first, extractor.firstTokenNanos().orElseThrow(), "later deltas do not move it");
    }

    @Test
    void aFrameWithABadChecksumIsUnreadableAndNeverThrows() {
        Buffer corrupt = CACHED.frames().get(7).copy();
        corrupt.setByte(corrupt.length() - 20, (byte) (corrupt.getByte(corrupt.length() - 20) ^ 0x01));
        UsageExtractor extractor = CACHED.firstFrames(7).plus(corrupt).feedFrames(FRESH.get());
        assertTrue(extractor.unreadable());
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
    }

    @Test
    void anImpossibleFrameLengthIsUnreadable() {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(200, Chunks.EVENT_STREAM_HEADERS);
        extractor.onBytes(Buffer.buffer(new byte[] {0, 0, 0, 3, 1, 2, 3, 4}));
        assertTrue(extractor.unreadable());
    }

    @Test
    void metadataWithMalformedOrMissingUsageIsUnreadable() {
        for (String payload : new String[] {"{\"usage\":{\"inputTokens\":\"x\"}}", "{\"metrics\":{}}", "{\"usage\":"}) {
            UsageExtractor extractor = CACHED.firstFrames(7)
                    .plus(StreamFixture.event("metadata", payload.getBytes(StandardCharsets.UTF_8)))
                    .feedFrames(FRESH.get());
            assertTrue(extractor.unreadable(), payload);
            assertEquals(TokenUsage.NOT_REPORTED, extractor.usage(), payload);
        }
    }

    @Test
    void onlyTheMetadataEventsOwnUsageCountsNotOneInItsTrace() {
        String payload = "{\"usage\":{\"inputTokens\":3,\"outputTokens\":4,\"totalTokens\":7},"
                + "\"trace\":{\"guardrail\":{\"usage\":{\"inputTokens\":99}}},\"metrics\":{\"latencyMs\":5}}";
        UsageExtractor extractor = CACHED.firstFrames(7)
                .plus(StreamFixture.event("metadata", payload.getBytes(StandardCharsets.UTF_8)))
                .feedFrames(FRESH.get());
        assertEquals(Tokens.of(3, 4, null, null), extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void anErrorResponseIsNotRead() {
        UsageExtractor extractor = FRESH.get();
        extractor.onHeaders(400, Chunks.JSON_HEADERS);
        extractor.onBytes(Buffer.buffer("{\"message\":\"Malformed input request\"}"));
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
        assertFalse(extractor.unreadable());
    }
}
