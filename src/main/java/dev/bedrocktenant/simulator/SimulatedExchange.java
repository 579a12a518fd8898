package dev.bedrocktenant.simulator;

import java.util.UUID;

import dev.bedrocktenant.simulator.RecordedRequest.Outcome;
import dev.bedrocktenant.wire.BedrockOperation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One request being answered: its parsed directives, its journal entry, and the ways the response
 * can end (completed, client gone, dropped on purpose). Every response gets a fresh
 * {@code x-amzn-RequestId}, as Bedrock's do.
 */
final class SimulatedExchange {

    final RoutingContext ctx;
    final BedrockOperation operation;
    final SimulatorDirectives directives;
    final RecordedRequest record;
    final String requestId = UUID.randomUUID().toString();
    private final long startNanos = System.nanoTime();

    SimulatedExchange(RoutingContext ctx, BedrockOperation operation, SimulatorDirectives directives,
                      RecordedRequest record) {
        this.ctx = ctx;
        this.operation = operation;
        this.directives = directives;
        this.record = record;
        HttpServerResponse response = ctx.response();
        response.putHeader("x-amzn-RequestId", requestId);
        // Over HTTP/2 the close handler also fires when a finished stream closes: only an unended
        // response means the client went away mid-answer (an ended one settles through its end future).
        response.closeHandler(v -> clientGoneUnlessEnded());
        response.exceptionHandler(e -> clientGoneUnlessEnded());
    }

    Vertx vertx() {
        return ctx.vertx();
    }

    HttpServerResponse response() {
        return ctx.response();
    }

    String modelId() {
        return record.modelId();
    }

    /**
     * The service tier reported as served, as Bedrock reports it in every answer: the {@code served-tier}
     * directive's, else the tier asked for, else {@code default}.
     */
    String servedTier() {
        if (directives.servedTier().isPresent()) {
            return directives.servedTier().get();
        }
        try {
            return record.requestedServiceTier().orElse("default");
        } catch (RuntimeException notJson) { // a body the simulator answers anyway
            return "default";
        }
    }

    int bodyBytes() {
        return record.body().length;
    }

    long latencyMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The response is over (normally or not): write nothing more. */
    boolean finished() {
        return record.outcome().isDone();
    }

    void sendJson(JsonObject body) {
        response().putHeader("Content-Type", "application/json");
        track(response().end(body.toBuffer()));
    }

    void sendError(String shapeName, String message) {
        track(RestJsonErrors.write(response(), shapeName, message));
    }

    void track(Future<Void> end) {
        end.onComplete(ar -> record.outcome().complete(ar.succeeded() ? Outcome.COMPLETED : Outcome.CLIENT_GONE));
    }

    private void clientGoneUnlessEnded() {
        if (!response().ended()) {
            record.outcome().complete(Outcome.CLIENT_GONE);
        }
    }

    /** Simulates an upstream dying mid-response: no orderly end, the connection just goes. */
    void drop() {
        record.outcome().complete(Outcome.DROPPED);
        // The whole connection goes, as when an upstream dies: HTTP/1.1 mid-chunk, HTTP/2 for every stream.
        ctx.request().connection().close();
    }
}
