package dev.bedrocktenant.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * StartAsyncInvoke / GetAsyncInvoke / ListAsyncInvokes. An invocation "completes" at once: nothing is
 * written to S3, but the shapes (ARNs, status, timestamps, outputDataConfig) are what the SDKs expect.
 */
final class AsyncInvokeResponder {

    private static final String ACCOUNT = "123456789012";

    private final Map<String, JsonObject> invocations = new ConcurrentHashMap<>();

    /** The model id of a StartAsyncInvoke body, or null when the body has none. */
    static String modelIdOf(byte[] body) {
        try {
            return new JsonObject(io.vertx.core.buffer.Buffer.buffer(body)).getString("modelId");
        } catch (RuntimeException e) {
            return null;
        }
    }

    void start(SimulatedExchange exchange) {
        JsonObject request;
        try {
            request = new JsonObject(io.vertx.core.buffer.Buffer.buffer(exchange.record.body()));
        } catch (RuntimeException e) {
            exchange.sendError("ValidationException", "The request body is not valid JSON.");
            return;
        }
        JsonObject output = request.getJsonObject("outputDataConfig");
        if (exchange.modelId() == null || output == null || !request.containsKey("modelInput")) {
            exchange.sendError("ValidationException", "modelId, modelInput and outputDataConfig are required.");
            return;
        }
        String arn = "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":async-invoke/" + randomId();
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        JsonObject summary = new JsonObject()
                .put("invocationArn", arn)
                .put("modelArn", "arn:aws:bedrock:us-east-1::foundation-model/" + exchange.modelId())
                .put("status", "Completed")
                .put("submitTime", now)
                .put("lastModifiedTime", now)
                .put("endTime", now)
                .put("outputDataConfig", output);
        if (request.getString("clientRequestToken") != null) {
            summary.put("clientRequestToken", request.getString("clientRequestToken"));
        }
        invocations.put(arn, summary);
        exchange.sendJson(new JsonObject().put("invocationArn", arn));
    }

    void get(SimulatedExchange exchange, String invocationArn) {
        JsonObject summary = invocations.get(invocationArn);
        if (summary == null) {
            exchange.sendError("ValidationException", "No async invocation found with ARN " + invocationArn + ".");
            return;
        }
        exchange.sendJson(summary.copy());
    }

    void list(SimulatedExchange exchange) {
        JsonArray summaries = new JsonArray();
        invocations.values().stream()
                .sorted(Comparator.comparing((JsonObject s) -> s.getString("submitTime")).reversed())
                .forEach(s -> summaries.add(s.copy()));
        exchange.sendJson(new JsonObject().put("asyncInvokeSummaries", summaries));
    }

    private static String randomId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
