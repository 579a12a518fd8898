package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import dev.bedrocktenant.wire.BedrockOperation;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The served tier and the cache writes' split by TTL, as each operation's response reports them. */
class ServedTierAndCacheTtlTest {

    private static final TokenUsage SPLIT = new TokenUsage(OptionalLong.of(100), OptionalLong.of(20), OptionalLong.of(5),
            OptionalLong.of(3000), OptionalLong.of(1000));

    private static Supplier<UsageExtractor> fresh(BedrockOperation operation) {
        return () -> UsageExtractors.forOperation(operation);
    }

    /** A ConverseResponse with a long output, usage with cacheDetails (1h before 5m, as Bedrock sorts them), a tier. */
    private static Buffer converseResponse(String tier) {
        return Buffer.buffer(new JsonObject()
                .put("output", new JsonObject().put("message", new JsonObject().put("role", "assistant")
                        .put("content", new JsonArray().add(new JsonObject().put("text", "a \"quoted\" [text] {x} ".repeat(20))))))
                .put("stopReason", "end_turn")
                .put("usage", converseUsage())
                .put("metrics", new JsonObject().put("latencyMs", 12))
                .put("serviceTier", new JsonObject().put("type", tier))
                .encode());
    }

    private static JsonObject converseUsage() {
        return new JsonObject().put("inputTokens", 100).put("outputTokens", 20).put("totalTokens", 3125)
                .put("cacheReadInputTokens", 5).put("cacheWriteInputTokens", 3000)
                .put("cacheDetails", new JsonArray()
                        .add(new JsonObject().put("ttl", "1h").put("inputTokens", 1000))
                        .add(new JsonObject().put("ttl", "5m").put("inputTokens", 2000)));
    }

    @Test
    void converseReadsTheTierAndTheSplitWhereverTheChunksBreak() {
        Buffer body = converseResponse("priority");
        for (int at = 0; at <= body.length(); at++) {
            UsageExtractor extractor = Chunks.splitAt(fresh(BedrockOperation.CONVERSE), Chunks.JSON_HEADERS, body, at);
            assertEquals(SPLIT, extractor.usage(), "split at " + at);
            assertEquals(Optional.of("priority"), extractor.servedTier(), "split at " + at);
            assertFalse(extractor.unreadable());
        }
        UsageExtractor byteByByte = Chunks.byteByByte(fresh(BedrockOperation.CONVERSE), Chunks.JSON_HEADERS, body);
        assertEquals(SPLIT, byteByByte.usage());
        assertEquals(Optional.of("priority"), byteByByte.servedTier());
    }

    @Test
    void aResponseWithoutTierOrSplitReportsNeitherAndItsWritesAreFiveMinuteOnes() {
        Buffer body = Buffer.buffer("{\"output\":{},\"usage\":{\"inputTokens\":1,\"outputTokens\":2,\"cacheWriteInputTokens\":7}}");
        UsageExtractor extractor = Chunks.byteByByte(fresh(BedrockOperation.CONVERSE), Chunks.JSON_HEADERS, body);
        assertEquals(Optional.empty(), extractor.servedTier());
        assertEquals(OptionalLong.of(7), extractor.usage().cacheWrite5mTokens());
        assertEquals(OptionalLong.of(0), extractor.usage().cacheWrite1hTokensKnown());
    }

    @Test
    void aSplitWithoutTheTotalGivesTheTotalAndAMalformedOneIsUnreadable() {
        UsageExtractor noTotal = Chunks.byteByByte(fresh(BedrockOperation.CONVERSE), Chunks.JSON_HEADERS, Buffer.buffer(
                "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2,\"cacheDetails\":[{\"ttl\":\"5m\",\"inputTokens\":4},"
                        + "{\"ttl\":\"1h\",\"inputTokens\":6}]}}"));
        assertEquals(OptionalLong.of(10), noTotal.usage().cacheWriteTokens());
        assertEquals(OptionalLong.of(6), noTotal.usage().cacheWrite1hTokens());
        UsageExtractor negative = Chunks.byteByByte(fresh(BedrockOperation.CONVERSE), Chunks.JSON_HEADERS, Buffer.buffer(
                "{\"usage\":{\"inputTokens\":1,\"cacheDetails\":[{\"ttl\":\"1h\",\"inputTokens\":-6}]}}"));
        assertTrue(negative.unreadable());
        UsageExtractor tierNotAWord = Chunks.byteByByte(fresh(BedrockOperation.CONVERSE), Chunks.JSON_HEADERS, Buffer.buffer(
                "{\"serviceTier\":{\"type\":\"a b\"},\"usage\":{\"inputTokens\":1}}"));
        assertTrue(tierNotAWord.unreadable());
    }

    @Test
    void aTierSpelledOtherwiseOrNotYetKnownIsReadAsItIs() {
        UsageExtractor extractor = Chunks.byteByByte(fresh(BedrockOperation.CONVERSE), Chunks.JSON_HEADERS, Buffer.buffer(
                "{\"usage\":{\"inputTokens\":1}, \"serviceTier\" : { \"note\": [1, {\"type\":\"x\"}], \"type\" : \"turbo\" } }"));
        assertEquals(Optional.of("turbo"), extractor.servedTier());
        assertFalse(extractor.unreadable());
    }

    @Test
    void theSameKeysNestedInTheOutputAreNotTaken() {
        Buffer body = Buffer.buffer("{\"output\":{\"serviceTier\":{\"type\":\"flex\"},\"usage\":{\"cacheDetails\":"
                + "[{\"ttl\":\"1h\",\"inputTokens\":9}]}},\"usage\":{\"inputTokens\":1,\"outputTokens\":2}}");
        UsageExtractor extractor = Chunks.byteByByte(fresh(BedrockOperation.CONVERSE), Chunks.JSON_HEADERS, body);
        assertEquals(Optional.empty(), extractor.servedTier());
        assertEquals(Tokens.of(1, 2, null, null), extractor.usage());
    }

    @Test
    void converseStreamReadsThemFromTheMetadataEvent() {
        byte[] metadata = new JsonObject().put("usage", converseUsage()).put("metrics", new JsonObject().put("latencyMs", 3))
                .put("serviceTier", new JsonObject().put("type", "flex")).encode().getBytes(StandardCharsets.UTF_8);
        Buffer stream = Buffer.buffer()
                .appendBuffer(StreamFixture.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"
                        .getBytes(StandardCharsets.UTF_8)))
                .appendBuffer(StreamFixture.event("metadata", metadata));
        UsageExtractor extractor = fresh(BedrockOperation.CONVERSE_STREAM).get();
        extractor.onHeaders(200, Chunks.EVENT_STREAM_HEADERS);
        extractor.onBytes(stream);
        assertEquals(SPLIT, extractor.usage());
        assertEquals(Optional.of("flex"), extractor.servedTier());
    }

    /** An Anthropic Messages body with usage.cache_creation last, as Anthropic writes it. */
    private static Buffer anthropicBody() {
        return Buffer.buffer(new JsonObject().put("id", "msg").put("type", "message")
                .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "{\"usage\":1} ".repeat(10))))
                .put("usage", new JsonObject().put("input_tokens", 100).put("output_tokens", 20)
                        .put("cache_creation_input_tokens", 3000).put("cache_read_input_tokens", 5)
                        .put("cache_creation", new JsonObject().put("ephemeral_5m_input_tokens", 2000)
                                .put("ephemeral_1h_input_tokens", 1000)))
                .encode());
    }

    private static MultiMap invokeHeaders(String cacheWrites) {
        return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add("X-Amzn-Bedrock-Input-Token-Count", "100").add("X-Amzn-Bedrock-Output-Token-Count", "20")
                .add("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", "5")
                .add("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", cacheWrites)
                .add("x-amzn-bedrock-service-tier", "priority");
    }

    @Test
    void invokeModelTakesTheTierFromItsHeaderAndTheSplitFromAnthropicsBodyWhereverTheChunksBreak() {
        Buffer body = anthropicBody();
        for (int at = 0; at <= body.length(); at++) {
            UsageExtractor extractor = Chunks.splitAt(fresh(BedrockOperation.INVOKE_MODEL), invokeHeaders("3000"), body, at);
            assertEquals(SPLIT, extractor.usage(), "split at " + at);
            assertEquals(Optional.of("priority"), extractor.servedTier());
            assertFalse(extractor.unreadable());
        }
    }

    @Test
    void invokeModelWithoutCacheWritesDoesNotReadItsBody() {
        // a body that is not JSON at all: never parsed, so nothing is unreadable
        UsageExtractor extractor = Chunks.byteByByte(fresh(BedrockOperation.INVOKE_MODEL), invokeHeaders("0"),
                Buffer.buffer("not json {{{"));
        assertEquals(Tokens.of(100, 20, 5L, 0L), extractor.usage());
        assertFalse(extractor.unreadable());
    }

    @Test
    void invokeModelStreamTakesTheSplitFromMessageStartAndTheTotalFromTheMetrics() {
        JsonObject messageStart = new JsonObject().put("type", "message_start").put("message", new JsonObject()
                .put("id", "msg").put("usage", new JsonObject().put("input_tokens", 100).put("output_tokens", 1)
                        .put("cache_creation_input_tokens", 3000)
                        .put("cache_creation", new JsonObject().put("ephemeral_5m_input_tokens", 2000)
                                .put("ephemeral_1h_input_tokens", 1000))));
        JsonObject delta = new JsonObject().put("type", "content_block_delta").put("index", 0)
                .put("delta", new JsonObject().put("type", "text_delta").put("text", "Hi"));
        JsonObject stop = new JsonObject().put("type", "message_stop").put("amazon-bedrock-invocationMetrics", new JsonObject()
                .put("inputTokenCount", 100).put("outputTokenCount", 20).put("cacheReadInputTokenCount", 5)
                .put("cacheWriteInputTokenCount", 3000));
        Buffer stream = Buffer.buffer();
        for (JsonObject event : new JsonObject[] {messageStart, delta, stop}) {
            stream.appendBuffer(StreamFixture.event("chunk", new JsonObject().put("bytes", StreamFixture.base64(event))
                    .encode().getBytes(StandardCharsets.UTF_8)));
        }
        UsageExtractor extractor = fresh(BedrockOperation.INVOKE_MODEL_WITH_RESPONSE_STREAM).get();
        extractor.onHeaders(200, MultiMap.caseInsensitiveMultiMap().add("X-Amzn-Bedrock-Service-Tier", "flex"));
        extractor.onBytes(stream);
        assertEquals(SPLIT, extractor.usage());
        assertEquals(Optional.of("flex"), extractor.servedTier());
        assertFalse(extractor.unreadable());
    }
}
