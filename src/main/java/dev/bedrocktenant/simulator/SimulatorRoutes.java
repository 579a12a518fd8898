package dev.bedrocktenant.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.bedrocktenant.signing.SignatureVerifier;
import dev.bedrocktenant.simulator.RecordedRequest.Outcome;
import dev.bedrocktenant.wire.BedrockOperation;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.jboss.logging.Logger;

/**
 * The simulator's router: reads the body, journals the request, checks its signature, applies
 * {@code delay-ms} and {@code error}, then hands it to the operation's responder. Paths are matched
 * by the proxy's own table of operations ({@link BedrockOperation}) on the raw path rather than by Router patterns, which would decode
 * an ARN's %2F.
 */
final class SimulatorRoutes {

    private static final Logger LOG = Logger.getLogger(SimulatorRoutes.class);
    private static final long MAX_BODY = 25L * 1024 * 1024;

    private final SignatureCheck signatureCheck;
    private final SimulatorJournal journal;
    private final AsyncInvokeResponder asyncInvokes = new AsyncInvokeResponder();
    private final SimulatedControlPlane controlPlane;

    SimulatorRoutes(AcceptedKeys keys, SimulatorJournal journal, SimulatedControlPlane controlPlane) {
        this.signatureCheck = new SignatureCheck(keys, new SignatureVerifier());
        this.journal = journal;
        this.controlPlane = controlPlane;
    }

    Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        // Without a body-reading handler the request body never arrives (the request stays paused).
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        router.route().handler(controlPlane::handle);
        router.route().handler(this::handle);
        return router;
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        Optional<BedrockOperation.Binding> match = BedrockOperation.bind(request.method().name(), request.path());
        Optional<SignatureCheck.Rejection> rejection = signatureCheck.check(request, body);
        RecordedRequest record = record(request, body, match, rejection.isEmpty());
        journal.record(record);

        if (match.isEmpty()) {
            ctx.response().putHeader("x-amzn-RequestId", UUID.randomUUID().toString());
            RestJsonErrors.write(ctx.response(), "UnknownOperationException", "No operation matches "
                    + request.method() + " " + request.path())
                    .onComplete(ar -> record.outcome().complete(ar.succeeded() ? Outcome.COMPLETED : Outcome.CLIENT_GONE));
            return;
        }
        if (rejection.isPresent()) {
            LOG.debugf("refused %s: %s", record.operation(), rejection.get().reason());
            new SimulatedExchange(ctx, match.get().operation(), SimulatorDirectives.none(), record)
                    .sendError(rejection.get().errorType(), rejection.get().message());
            return;
        }
        SimulatorDirectives directives;
        try {
            directives = SimulatorDirectives.parse(body.toString(StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            new SimulatedExchange(ctx, match.get().operation(), SimulatorDirectives.none(), record)
                    .sendError("ValidationException", e.getMessage());
            return;
        }
        SimulatedExchange exchange = new SimulatedExchange(ctx, match.get().operation(), directives, record);
        LOG.debugf("%s %s", record.operation(), record.modelId());
        if (directives.delayMs() > 0) {
            ctx.vertx().setTimer(directives.delayMs(), t -> respond(exchange, match.get()));
        } else {
            respond(exchange, match.get());
        }
    }

    private void respond(SimulatedExchange exchange, BedrockOperation.Binding match) {
        if (exchange.finished()) {
            return;
        }
        Optional<String> error = exchange.directives.error();
        if (error.isPresent()) {
            if (RestJsonErrors.modelStatus(error.get()).isEmpty()) {
                exchange.sendError("ValidationException", "The simulator knows no error shape " + error.get() + ".");
            } else {
                exchange.sendError(error.get(), "Simulated " + error.get() + " ([[sim:error]] directive).");
            }
            return;
        }
        switch (match.operation()) {
            case CONVERSE -> ConverseResponder.converse(exchange);
            case CONVERSE_STREAM -> ConverseResponder.converseStream(exchange);
            case INVOKE_MODEL -> InvokeModelResponder.invoke(exchange);
            case INVOKE_MODEL_WITH_RESPONSE_STREAM -> InvokeModelResponder.invokeWithResponseStream(exchange);
            case COUNT_TOKENS -> CountTokensResponder.countTokens(exchange);
            case APPLY_GUARDRAIL -> GuardrailResponder.applyGuardrail(exchange);
            case INVOKE_GUARDRAIL_CHECKS -> GuardrailResponder.invokeGuardrailChecks(exchange);
            case START_ASYNC_INVOKE -> asyncInvokes.start(exchange);
            case GET_ASYNC_INVOKE -> asyncInvokes.get(exchange, decode(match.label().orElseThrow()));
            case LIST_ASYNC_INVOKES -> asyncInvokes.list(exchange);
        }
    }

    private static RecordedRequest record(HttpServerRequest request, Buffer body,
                                          Optional<BedrockOperation.Binding> match, boolean signatureValid) {
        byte[] bytes = body.getBytes();
        String modelId = match.map(m -> switch (m.operation()) {
            case START_ASYNC_INVOKE -> AsyncInvokeResponder.modelIdOf(bytes);
            case CONVERSE, CONVERSE_STREAM, INVOKE_MODEL, INVOKE_MODEL_WITH_RESPONSE_STREAM, COUNT_TOKENS ->
                    m.label().map(SimulatorRoutes::decode).orElse(null);
            default -> null;
        }).orElse(null);
        return new RecordedRequest(match.map(m -> m.operation().awsName).orElse(null), request.method().name(),
                request.path(), request.query(), modelId, MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                bytes, signatureValid, new CompletableFuture<>());
    }

    private static String decode(String segment) {
        // A path segment is percent-encoded; '+' is a literal plus there, not a space.
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
