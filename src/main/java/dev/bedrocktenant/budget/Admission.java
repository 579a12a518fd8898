package dev.bedrocktenant.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import dev.bedrocktenant.pricing.PriceTable;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;

/**
 * The admission stage: every request of a tenant with limits or a budget claims its estimate before anything
 * reaches Bedrock, and is refused with ThrottlingException when a limit has no room — naming the limit and
 * when it resets, with {@code Retry-After} — unless the tenant is alert-only. A tenant with neither passes
 * untouched.
 */
@Singleton
public class Admission {

    private final StateStore store;
    private final PriceTable prices;
    private final LimitsConfig.Limits config;
    private final AlertLevels levels;

    public Admission(StateStore store, PriceTable prices, LimitsConfig config, AlertLevels levels) {
        this.store = store;
        this.prices = prices;
        this.config = config.limits();
        this.levels = levels;
    }

    /** @param pricedModelId what the call is priced as, for its cost estimate */
    public Uni<Admitted> admit(Tenant tenant, Buffer body, String pricedModelId) {
        if (!tenant.limited()) {
            return Uni.createFrom().item(Admitted.UNLIMITED);
        }
        Instant now = Instant.now();
        Claim claim = Claim.of(tenant, Estimate.of(body, pricedModelId, prices, config), now);
        CompletionStage<Decision> decided = store.admit(claim);
        Uni<Decision> decision = Uni.createFrom().completionStage(decided);
        Context caller = Vertx.currentContext();
        if (caller != null && !decided.toCompletableFuture().isDone()) {
            // a remote store answers on its own thread: carry on where the request was being served
            decision = decision.emitOn(task -> caller.runOnContext(v -> task.run()));
        }
        return decision.map(d -> {
            Map<String, String> headers = tenant.limits().map(l -> RateLimitHeaders.of(l, d.counters(), now)).orElse(Map.of());
            if (!d.admitted()) {
                throw refusal(tenant, d, now, headers);
            }
            return new Admitted(new Reservation(tenant, claim, store, levels), headers);
        });
    }

    private static ProxyRefusal refusal(Tenant tenant, Decision decision, Instant now, Map<String, String> rateHeaders) {
        String limit = decision.over().orElseThrow();
        Instant resets = decision.resetsAt().orElseThrow();
        long retryAfter = Math.max(1, (Duration.between(now, resets).toMillis() + 999) / 1000);
        Map<String, String> headers = new LinkedHashMap<>(rateHeaders);
        headers.put("Retry-After", String.valueOf(retryAfter));
        return ProxyRefusal.throttling("tenant " + tenant.id() + " is over its " + limit + " limit (" + describe(tenant, limit)
                + "); it resets at " + resets + ", in " + retryAfter + " s", headers);
    }

    private static String describe(Tenant tenant, String limit) {
        return switch (limit) {
            case LimitCheck.MAX_CONCURRENT -> tenant.limits().orElseThrow().maxConcurrent().orElseThrow() + " requests in flight";
            case LimitCheck.REQUESTS_PER_MINUTE -> tenant.limits().orElseThrow().requestsPerMinute().orElseThrow()
                    + " requests per minute";
            case LimitCheck.TOKENS_PER_MINUTE -> tenant.limits().orElseThrow().tokensPerMinute().orElseThrow()
                    + " tokens per minute";
            case LimitCheck.DAILY_USD -> tenant.budget().orElseThrow().dailyUsd().orElseThrow().toPlainString() + " USD per UTC day";
            case LimitCheck.MONTHLY_USD -> tenant.budget().orElseThrow().monthlyUsd().orElseThrow().toPlainString()
                    + " USD per UTC month";
            default -> limit;
        };
    }
}
