package dev.bedrocktenant.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** ApplyGuardrail and InvokeGuardrailChecks: short answers with every required member. */
final class GuardrailResponder {

    private GuardrailResponder() {
    }

    /** The guardrail never intervenes. */
    static void applyGuardrail(SimulatedExchange exchange) {
        exchange.sendJson(new JsonObject()
                .put("usage", new JsonObject()
                        .put("topicPolicyUnits", 0)
                        .put("contentPolicyUnits", 1)
                        .put("wordPolicyUnits", 0)
                        .put("sensitiveInformationPolicyUnits", 0)
                        .put("sensitiveInformationPolicyFreeUnits", 0)
                        .put("contextualGroundingPolicyUnits", 0))
                .put("action", "NONE")
                .put("outputs", new JsonArray())
                .put("assessments", new JsonArray()));
    }

    /** No check finds anything. */
    static void invokeGuardrailChecks(SimulatedExchange exchange) {
        exchange.sendJson(new JsonObject().put("results", new JsonObject()).put("usage", new JsonObject()));
    }
}
