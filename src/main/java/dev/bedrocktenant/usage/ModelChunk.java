package dev.bedrocktenant.usage;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * One {@code chunk} event of InvokeModelWithResponseStream: its payload is {@code {"bytes":"<base64>"}}
 * (a PayloadPart; standard base64), and the decoded bytes are one event of the model's own stream.
 * Bedrock adds {@code amazon-bedrock-invocationMetrics} to the top level of the last one.
 *
 * @param metrics       the invocation metrics, when this chunk carries them
 * @param content       the chunk carries generated content (not just the model's framing events)
 * @param cacheCreation Anthropic's split of the cache writes by TTL, which its {@code message_start} carries
 *                      (Bedrock's invocation metrics give only their total)
 */
record ModelChunk(Optional<TokenUsage> metrics, boolean content, Optional<CacheDetails> cacheCreation) {

    static final String METRICS = "amazon-bedrock-invocationMetrics";
    private static final String MESSAGE_START = "message_start";

    /** Framing events of the Anthropic messages stream ({@code type}): no generated content. */
    private static final Set<String> ANTHROPIC_FRAMING = Set.of(
            "message_start", "content_block_start", "content_block_stop", "message_delta", "message_stop", "ping");
    /** Framing events of Converse-shaped model streams (Amazon Nova): keyed by the event name. */
    private static final Set<String> NOVA_FRAMING = Set.of(
            "messageStart", "contentBlockStart", "contentBlockStop", "messageStop", "metadata");

    /** @throws IOException / {@link MalformedUsage} / IllegalArgumentException on a chunk that cannot be read */
    static ModelChunk read(byte[] payload) throws IOException {
        return readModelEvent(base64Bytes(payload));
    }

    private static byte[] base64Bytes(byte[] payload) throws IOException {
        try (JsonParser parser = TopLevelUsageScanner.JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedUsage("chunk payload is not a JSON object");
            }
            String bytes = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("bytes".equals(name) && value == JsonToken.VALUE_STRING) {
                    bytes = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (bytes == null) {
                throw new MalformedUsage("chunk payload has no bytes");
            }
            return Base64.getDecoder().decode(bytes);
        }
    }

    private static ModelChunk readModelEvent(byte[] event) throws IOException {
        try (JsonParser parser = TopLevelUsageScanner.JSON.createParser(event)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return new ModelChunk(Optional.empty(), event.length > 0, Optional.empty());
            }
            Optional<TokenUsage> metrics = Optional.empty();
            boolean framing = false;
            boolean other = false;
            boolean messageStart = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (METRICS.equals(name)) {
                    metrics = Optional.of(metrics(parser, value));
                } else if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
                    framing |= ANTHROPIC_FRAMING.contains(parser.getText());
                    messageStart |= MESSAGE_START.equals(parser.getText());
                } else {
                    framing |= NOVA_FRAMING.contains(name);
                    other = true;
                    parser.skipChildren();
                }
            }
            // Any other model's chunk (Titan, Llama, Mistral, …) is generated text.
            return new ModelChunk(metrics, other && !framing, messageStart ? cacheCreation(event) : Optional.empty());
        }
    }

    /** Read apart, once a stream: the event's type may come after its message. */
    private static Optional<CacheDetails> cacheCreation(byte[] messageStart) throws IOException {
        AnthropicCacheCreation split = new AnthropicCacheCreation(AnthropicCacheCreation.IN_MESSAGE_START);
        split.feed(messageStart, 0, messageStart.length);
        return split.found();
    }

    private static TokenUsage metrics(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw new MalformedUsage(METRICS + " is " + value + ", not an object");
        }
        TokenCounts counts = new TokenCounts(TokenFieldNames.INVOCATION_METRICS);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            counts.read(field, token, parser);
            parser.skipChildren();
        }
        return counts.toUsage();
    }
}
