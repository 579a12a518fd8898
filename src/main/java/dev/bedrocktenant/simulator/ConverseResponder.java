package dev.bedrocktenant.simulator;

import java.util.List;
import java.util.function.Supplier;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Converse (ConverseResponse JSON) and ConverseStream (the ConverseStreamOutput event union). */
final class ConverseResponder {

    private ConverseResponder() {
    }

    static void converse(SimulatedExchange exchange) {
        ModelReply reply = ModelReply.of(exchange.directives, exchange.bodyBytes());
        exchange.sendJson(new JsonObject()
                .put("output", new JsonObject().put("message", new JsonObject()
                        .put("role", "assistant")
                        .put("content", new JsonArray().add(new JsonObject().put("text", reply.text())))))
                .put("stopReason", "end_turn")
                .put("usage", reply.converseUsage())
                .put("metrics", new JsonObject().put("latencyMs", exchange.latencyMs()))
                .put("serviceTier", new JsonObject().put("type", exchange.servedTier())));
    }

    /** messageStart, contentBlockDelta × N, contentBlockStop, messageStop, metadata. */
    static void converseStream(SimulatedExchange exchange) {
        ModelReply reply = ModelReply.of(exchange.directives, exchange.bodyBytes());
        List<Buffer> head = List.of(EventStreamFrames.event("messageStart", new JsonObject().put("role", "assistant")));
        List<Buffer> deltas = reply.deltas().stream()
                .map(text -> EventStreamFrames.event("contentBlockDelta", new JsonObject()
                        .put("contentBlockIndex", 0)
                        .put("delta", new JsonObject().put("text", text))))
                .toList();
        Buffer blockStop = EventStreamFrames.event("contentBlockStop", new JsonObject().put("contentBlockIndex", 0));
        Buffer messageStop = EventStreamFrames.event("messageStop", new JsonObject().put("stopReason", "end_turn"));
        List<Supplier<Buffer>> tail = List.of(
                () -> blockStop,
                () -> messageStop,
                () -> EventStreamFrames.event("metadata", new JsonObject()
                        .put("usage", reply.converseUsage())
                        .put("metrics", new JsonObject().put("latencyMs", exchange.latencyMs()))
                        .put("serviceTier", new JsonObject().put("type", exchange.servedTier()))));
        new EventStreamWriter(exchange, head, deltas, tail).start();
    }
}
