package dev.bedrocktenant.admin;

import java.time.Clock;
import java.util.UUID;
import java.util.stream.Stream;

import dev.bedrocktenant.metering.LedgerEntry;
import dev.bedrocktenant.metering.LedgerReader;
import dev.bedrocktenant.proxy.BedrockErrorResponse;
import dev.bedrocktenant.proxy.ProxyRefusal;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * {@code GET /admin/usage}: what each tenant used, aggregated from the ledger. The ledger is read on a
 * worker thread (it is file I/O); refusals come in Bedrock's error shape like the proxy's own.
 */
public final class UsageHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(UsageHandler.class);

    private final Vertx vertx;
    private final LedgerReader ledger;
    private final BearerToken token;
    private final Clock clock;

    public UsageHandler(Vertx vertx, LedgerReader ledger, BearerToken token, Clock clock) {
        this.vertx = vertx;
        this.ledger = ledger;
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
        // unordered: concurrent queries need not wait for each other
        vertx.executeBlocking(() -> {
            try (Stream<LedgerEntry> entries = ledger.read(query.from(), query.to())) {
                return UsageAggregator.aggregate(query, entries);
            }
        }, false).onComplete(result -> {
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
        });
    }
}
