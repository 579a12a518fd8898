package dev.bedrocktenant.simulator;

import io.vertx.core.json.JsonObject;

/** CountTokens: the {@code input-tokens} directive, else ceil(body bytes / 4), like the inference operations. */
final class CountTokensResponder {

    private CountTokensResponder() {
    }

    static void countTokens(SimulatedExchange exchange) {
        int tokens = exchange.directives.inputTokens().orElse(ModelReply.defaultInputTokens(exchange.bodyBytes()));
        exchange.sendJson(new JsonObject().put("inputTokens", tokens));
    }
}
