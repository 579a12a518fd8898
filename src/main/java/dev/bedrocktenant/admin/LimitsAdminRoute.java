package dev.bedrocktenant.admin;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.bedrocktenant.budget.AlertLevels;
import dev.bedrocktenant.budget.AlertsConfig;
import dev.bedrocktenant.budget.StateStore;
import dev.bedrocktenant.metering.ledger.Adjustment;
import dev.bedrocktenant.metering.ledger.LedgerWriteFailed;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantDirectory;
import dev.bedrocktenant.wire.BedrockErrorResponse;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code GET /admin/limits[?tenant=T]}: each tenant with limits or a budget, its counters as the store has them
 * now ({@link LimitsView}). {@code POST /admin/limits/reset?tenant=T&period=daily|monthly|minute}: forgets the
 * tenant's spend of the current day or month, or its current minute's requests and tokens ({@link LimitsReset}).
 * Both need {@code Authorization: Bearer <proxy.admin.token>} when the token is set; a reset is refused
 * while it is not: it unblocks spending, which nobody should do anonymously.
 */
@ApplicationScoped
public class LimitsAdminRoute {

    static final String PATH = "/admin/limits";
    static final String RESET_PATH = "/admin/limits/reset";

    private static final Logger LOG = Logger.getLogger(LimitsAdminRoute.class);
    static final String NOT_WRITTEN = "nothing was reset: its line could not be written to the usage ledger; try again";
    static final String NOT_APPLIED = "the reset may not have been applied: the tenant's counters could not be changed;"
            + " try again";

    private final TenantDirectory tenants;
    private final StateStore store;
    private final List<BigDecimal> thresholds;
    private final LimitsReset resets;
    private final BearerToken token;
    private final Clock clock;

    @Inject
    public LimitsAdminRoute(TenantDirectory tenants, StateStore store, AlertLevels levels, AlertsConfig alerts,
                            UsageLedger ledger, AdminConfig config) {
        this(tenants, store, alerts.thresholds(), new LimitsReset(ledger, store, levels), new BearerToken(config.token()),
                Clock.systemUTC());
    }

    LimitsAdminRoute(TenantDirectory tenants, StateStore store, List<BigDecimal> thresholds, LimitsReset resets,
                     BearerToken token, Clock clock) {
        this.tenants = tenants;
        this.store = store;
        this.thresholds = List.copyOf(thresholds);
        this.resets = resets;
        this.token = token;
        this.clock = clock;
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::show);
        router.post(RESET_PATH).handler(this::reset);
    }

    void show(RoutingContext ctx) {
        String requestId = UUID.randomUUID().toString();
        try {
            permit(ctx, requestId, false);
            onlyParameters(ctx, List.of("tenant"));
            Optional<String> only = Optional.ofNullable(ctx.request().getParam("tenant"));
            List<Tenant> selected = only.isPresent() ? List.of(tenant(only.get())) : tenants.current().all().stream()
                    .filter(Tenant::limited).sorted(Comparator.comparing(Tenant::id)).toList();
            Instant at = clock.instant();
            List<CompletableFuture<JsonObject>> views = selected.stream().map(tenant -> store.counters(tenant.id(), at)
                    .thenApply(counters -> LimitsView.of(tenant, counters, thresholds, store.where(), at))
                    .toCompletableFuture()).toList();
            CompletableFuture<JsonObject> answer = CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
                    .thenApply(all -> new JsonObject().put("at", at.toString())
                            .put("tenants", new JsonArray(views.stream().map(CompletableFuture::join).toList())));
            Future.fromCompletionStage(answer, ctx.vertx().getOrCreateContext())
                    .onComplete(result -> answer(ctx, requestId, result, "the tenants' counters could not be read"));
        } catch (ProxyRefusal refusal) {
            BedrockErrorResponse.send(ctx.response(), refusal, requestId);
        }
    }

    void reset(RoutingContext ctx) {
        String requestId = UUID.randomUUID().toString();
        try {
            permit(ctx, requestId, true);
            onlyParameters(ctx, List.of("tenant", "period"));
            String id = Optional.ofNullable(ctx.request().getParam("tenant"))
                    .orElseThrow(() -> ProxyRefusal.validation("tenant is required"));
            Tenant tenant = tenant(id);
            String period = Optional.ofNullable(ctx.request().getParam("period")).orElse("");
            Adjustment adjustment = Adjustment.byLabel(period).orElseThrow(() ->
                    ProxyRefusal.validation("period must be daily, monthly or minute, not '" + period + "'"));
            Instant at = clock.instant();
            Context context = ctx.vertx().getOrCreateContext();
            CompletionStage<JsonObject> done = resets.reset(tenant, adjustment, requestId,
                            String.valueOf(ctx.request().remoteAddress()), at, task -> context.runOnContext(v -> task.run()))
                    .thenApply(counters -> new JsonObject().put("reset", adjustment.label)
                            .mergeIn(LimitsView.of(tenant, counters, thresholds, store.where(), at)));
            Future.fromCompletionStage(done, context).onComplete(result -> answer(ctx, requestId, result,
                    causeOf(result.cause()) instanceof LedgerWriteFailed ? NOT_WRITTEN : NOT_APPLIED));
        } catch (ProxyRefusal refusal) {
            BedrockErrorResponse.send(ctx.response(), refusal, requestId);
        }
    }

    private void permit(RoutingContext ctx, String requestId, boolean changes) {
        if (changes && token.open()) {
            LOG.warnf("admin reset refused requestId=%s remote=%s: proxy.admin.token is not set", requestId,
                    ctx.request().remoteAddress());
            throw ProxyRefusal.accessDenied("resetting limits needs proxy.admin.token to be set (PROXY_ADMIN_TOKEN),"
                    + " and sent as 'Authorization: Bearer <token>'");
        }
        if (!token.permits(ctx.request().getHeader("Authorization"))) {
            LOG.warnf("admin request denied requestId=%s path=%s remote=%s", requestId, ctx.request().path(),
                    ctx.request().remoteAddress());
            throw ProxyRefusal.accessDenied("the admin API needs 'Authorization: Bearer <proxy.admin.token>'");
        }
    }

    private static void onlyParameters(RoutingContext ctx, List<String> known) {
        for (String name : ctx.queryParams().names()) {
            if (!known.contains(name)) {
                throw ProxyRefusal.validation("unknown parameter " + name + "; expected " + String.join(", ", known));
            }
        }
    }

    private Tenant tenant(String id) {
        return tenants.current().byId(id)
                .orElseThrow(() -> ProxyRefusal.validation("no tenant " + id + " in the tenants file"));
    }

    private static Throwable causeOf(Throwable failure) {
        return failure instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause() : failure;
    }

    private static void answer(RoutingContext ctx, String requestId, AsyncResult<JsonObject> result, String failed) {
        if (result.failed()) {
            LOG.errorf("admin request failed requestId=%s path=%s: %s", requestId, ctx.request().path(),
                    causeOf(result.cause()));
            BedrockErrorResponse.send(ctx.response(), ProxyRefusal.serviceUnavailable(failed), requestId);
        } else if (!ctx.response().closed()) {
            ctx.response().putHeader("Content-Type", "application/json")
                    .putHeader(BedrockErrorResponse.REQUEST_ID_HEADER, requestId)
                    .end(result.result().encodePrettily());
        }
    }
}
