package dev.bedrocktenant.admin.usage;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.bedrocktenant.admin.BearerToken;
import dev.bedrocktenant.metering.ledger.LedgerEntry;
import dev.bedrocktenant.metering.ledger.LedgerReader;
import dev.bedrocktenant.wire.BedrockErrorResponse;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * {@code GET /admin/usage}: what each tenant used, aggregated from the ledger. The ledger is read on a
 * worker thread (it is file I/O); refusals come in Bedrock's error shape like the proxy's own. Every request
 * answered before the query is in the answer: the ledger's writer is first asked to move what its crash journal
 * holds into the day files (it otherwise does so once per fsync interval).
 */
public final class UsageHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(UsageHandler.class);
    /** A writer stuck on a failing disk must not hold the answer: the day files are then read as they are. */
    static final Duration MAX_CATCH_UP_WAIT = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final LedgerReader ledger;
    private final Supplier<CompletableFuture<Void>> ledgerCaughtUp;
    private final BearerToken token;
    private final Clock clock;

    /** @param ledgerCaughtUp completes when the day files hold every line appended before it was called */
    public UsageHandler(Vertx vertx, LedgerReader ledger, Supplier<CompletableFuture<Void>> ledgerCaughtUp,
                        BearerToken token, Clock clock) {
        this.vertx = vertx;
        this.ledger = ledger;
        this.ledgerCaughtUp = ledgerCaughtUp;
        this.token = token;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext context) {
        String requestId = UUID.randomUUID().toString();
        if (!token.permits(context.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            LOG.warnf("admin request denied requestId=%s path=%s remote=%s", requestId, context.request().path(),
                    context.request().remoteAddress());
            BedrockErrorResponse.send(context.response(),
                    ProxyRefusal.accessDenied("the admin API needs a valid bearer token"), requestId);
            return;
        }
        UsageQuery query;
        try {
            query = UsageQuery.parse(context.queryParams(), clock);
        } catch (ProxyRefusal refusal) {
            BedrockErrorResponse.send(context.response(), refusal, requestId);
            return;
        }
        CompletableFuture<Void> caughtUp = ledgerCaughtUp.get().copy() // (completing the copy leaves the writer's alone)
                .completeOnTimeout(null, MAX_CATCH_UP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Future.fromCompletionStage(caughtUp, vertx.getOrCreateContext())
                .compose(ready -> vertx.executeBlocking(() -> totals(query), false)) // unordered: no query waits for another
                .onComplete(result -> answer(context, requestId, result));
    }

    private JsonObject totals(UsageQuery query) {
        try (Stream<LedgerEntry> entries = ledger.read(query.from(), query.to())) {
            return UsageAggregator.aggregate(query, entries);
        }
    }

    private static void answer(RoutingContext context, String requestId, AsyncResult<JsonObject> result) {
        if (result.succeeded()) {
            if (!context.response().closed()) {
                context.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(BedrockErrorResponse.REQUEST_ID_HEADER, requestId)
                        .end(result.result().encode());
            }
        } else {
            LOG.errorf(result.cause(), "usage query failed requestId=%s", requestId);
            BedrockErrorResponse.send(context.response(),
                    ProxyRefusal.serviceUnavailable("the usage ledger could not be read"), requestId);
        }
    }
}
