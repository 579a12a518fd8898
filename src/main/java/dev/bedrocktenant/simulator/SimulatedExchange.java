package dev.bedrocktenant.simulator;

import java.util.UUID;

import dev.bedrocktenant.simulator.RecordedRequest.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One request being answered: its parsed directives, its journal entry, and the ways the response
 * can end (completed, client gone, dropped on purpose). Every response gets a fresh
 * {@code x-amzn-RequestId}, as Bedrock's do.
 */
final class SimulatedExchange {

    final RoutingContext ctx;
    final SimulatedOperation operation;
    final SimulatorDirectives directives;
    final RecordedRequest record;
    final String requestId = UUID.randomUUID().toString();
    private final long startNanos = System.nanoTime();

    SimulatedExchange(RoutingContext ctx, SimulatedOperation operation, SimulatorDirectives directives,
                      RecordedRequest record) {
        this.ctx = ctx;
        this.operation = operation;
        this.directives = directives;
        this.record = record;
        HttpServerResponse response = ctx.response();
        response.putHeader("x-amzn-RequestId", requestId);
        // Either fires only while the response is unfinished: the client went away mid-answer.
        response.closeHandler(v -> record.outcome().complete(Outcome.CLIENT_GONE));
        response.exceptionHandler(e -> record.outcome().complete(Outcome.CLIENT_GONE));
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

    /** Simulates an upstream dying mid-response: no orderly end, the connection (or HTTP/2 stream) just goes. */
    void drop() {
        record.outcome().complete(Outcome.DROPPED);
        if (ctx.request().version() == HttpVersion.HTTP_2) {
            response().reset();
        } else {
            ctx.request().connection().close();
        }
    }
}
