package dev.bedrocktenant.simulator;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import dev.bedrocktenant.wire.BedrockHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * InvokeModel and InvokeModelWithResponseStream, answering in the Anthropic messages format
 * (whatever the model id): usage in the X-Amzn-Bedrock-*-Token-Count headers for InvokeModel, and
 * in {@code amazon-bedrock-invocationMetrics} of the last chunk for the stream, as Bedrock reports it.
 */
final class InvokeModelResponder {

    private InvokeModelResponder() {
    }

    static void invoke(SimulatedExchange exchange) {
        ModelReply reply = ModelReply.of(exchange.directives, exchange.bodyBytes());
        HttpServerResponse response = exchange.response()
                .putHeader("X-Amzn-Bedrock-Input-Token-Count", String.valueOf(reply.inputTokens()))
                .putHeader("X-Amzn-Bedrock-Output-Token-Count", String.valueOf(reply.outputTokens()))
                .putHeader("X-Amzn-Bedrock-Invocation-Latency", String.valueOf(exchange.latencyMs()))
                .putHeader(BedrockHeaders.SERVICE_TIER, exchange.servedTier());
        reply.cacheRead().ifPresent(n -> response.putHeader("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", String.valueOf(n)));
        reply.cacheWrite().ifPresent(n -> response.putHeader("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", String.valueOf(n)));
        exchange.sendJson(new JsonObject()
                .put("id", messageId(exchange))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", exchange.modelId())
                .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", reply.text())))
                .put("stop_reason", "end_turn")
                .putNull("stop_sequence")
                .put("usage", anthropicUsage(reply, reply.outputTokens())));
    }

    /** chunk events whose bytes are the Anthropic stream: message_start … message_stop. */
    static void invokeWithResponseStream(SimulatedExchange exchange) {
        ModelReply reply = ModelReply.of(exchange.directives, exchange.bodyBytes());
        long startMs = exchange.latencyMs();
        List<Buffer> head = new ArrayList<>();
        head.add(chunk(new JsonObject().put("type", "message_start").put("message", new JsonObject()
                .put("id", messageId(exchange))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", exchange.modelId())
                .put("content", new JsonArray())
                .putNull("stop_reason")
                .putNull("stop_sequence")
                .put("usage", anthropicUsage(reply, 1)))));
        head.add(chunk(new JsonObject().put("type", "content_block_start").put("index", 0)
                .put("content_block", new JsonObject().put("type", "text").put("text", ""))));
        List<Buffer> deltas = reply.deltas().stream()
                .map(text -> chunk(new JsonObject().put("type", "content_block_delta").put("index", 0)
                        .put("delta", new JsonObject().put("type", "text_delta").put("text", text))))
                .toList();
        Buffer blockStop = chunk(new JsonObject().put("type", "content_block_stop").put("index", 0));
        Buffer messageDelta = chunk(new JsonObject().put("type", "message_delta")
                .put("delta", new JsonObject().put("stop_reason", "end_turn").putNull("stop_sequence"))
                .put("usage", new JsonObject().put("output_tokens", reply.outputTokens())));
        List<Supplier<Buffer>> tail = List.of(
                () -> blockStop,
                () -> messageDelta,
                () -> chunk(new JsonObject().put("type", "message_stop")
                        .put("amazon-bedrock-invocationMetrics", invocationMetrics(reply, exchange.latencyMs(), startMs))));
        exchange.response().putHeader("X-Amzn-Bedrock-Content-Type", "application/json")
                .putHeader(BedrockHeaders.SERVICE_TIER, exchange.servedTier());
        new EventStreamWriter(exchange, head, deltas, tail).start();
    }

    private static Buffer chunk(JsonObject anthropicEvent) {
        // PayloadPart.bytes is a blob: standard base64 in JSON (Vert.x's own byte[] encoding is base64url).
        String bytes = Base64.getEncoder().encodeToString(anthropicEvent.toBuffer().getBytes());
        return EventStreamFrames.event("chunk", new JsonObject().put("bytes", bytes));
    }

    private static JsonObject anthropicUsage(ModelReply reply, int outputTokens) {
        JsonObject usage = new JsonObject().put("input_tokens", reply.inputTokens()).put("output_tokens", outputTokens);
        reply.cacheRead().ifPresent(n -> usage.put("cache_read_input_tokens", n));
        reply.cacheWrite().ifPresent(n -> usage.put("cache_creation_input_tokens", n));
        reply.anthropicCacheCreation().ifPresent(split -> usage.put("cache_creation", split));
        return usage;
    }

    private static JsonObject invocationMetrics(ModelReply reply, long latencyMs, long firstByteMs) {
        JsonObject metrics = new JsonObject()
                .put("inputTokenCount", reply.inputTokens())
                .put("outputTokenCount", reply.outputTokens())
                .put("invocationLatency", latencyMs)
                .put("firstByteLatency", firstByteMs);
        reply.cacheRead().ifPresent(n -> metrics.put("cacheReadInputTokenCount", n));
        reply.cacheWrite().ifPresent(n -> metrics.put("cacheWriteInputTokenCount", n));
        return metrics;
    }

    private static String messageId(SimulatedExchange exchange) {
        return "msg_bdrk_" + exchange.requestId.replace("-", "").substring(0, 24);
    }
}
