package dev.bedrocktenant.admin;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.bedrocktenant.budget.BudgetStanding;
import dev.bedrocktenant.budget.Period;
import dev.bedrocktenant.budget.TenantCounters;
import dev.bedrocktenant.tenant.Tenant;
import io.vertx.core.json.JsonObject;

/**
 * One tenant's limits and budget as configured, beside its counters as its store has them now: the minute's
 * requests and tokens, requests in flight, the day's and month's spend (exact decimal strings), each budget's
 * used ratio and the alert level they make — computed from these counters, so a new day shows at once.
 */
final class LimitsView {

    private LimitsView() {
    }

    /** @param thresholds the used ratios of yellow, orange and red; @param state where the counters live */
    static JsonObject of(Tenant tenant, TenantCounters counters, List<BigDecimal> thresholds, String state, Instant at) {
        Optional<BudgetStanding> standing = tenant.budget().map(b -> BudgetStanding.of(b, counters, thresholds));
        return new JsonObject()
                .put("tenant", tenant.id())
                .put("tier", tenant.tier().orElse(null))
                .put("enforce", tenant.enforce())
                .put("limits", tenant.limits().map(LimitsView::limits).orElse(null))
                .put("budget", tenant.budget().map(LimitsView::budget).orElse(null))
                .put("minute", new JsonObject()
                        .put("requests", counters.requests())
                        .put("tokens", counters.tokens())
                        .put("resetsAt", Period.endOfMinute(at).toString()))
                .put("inFlight", counters.inFlight())
                .put("daily", period(Period.DAILY, counters, standing, at))
                .put("monthly", period(Period.MONTHLY, counters, standing, at))
                .put("level", standing.map(s -> s.level().label()).orElse(null))
                .put("state", state);
    }

    private static JsonObject limits(Tenant.RateLimits limits) {
        return new JsonObject()
                .put("requestsPerMinute", limits.requestsPerMinute().orElse(null))
                .put("tokensPerMinute", limits.tokensPerMinute().orElse(null))
                .put("maxConcurrent", limits.maxConcurrent().orElse(null));
    }

    private static JsonObject budget(Tenant.Budget budget) {
        return new JsonObject()
                .put("dailyUsd", budget.dailyUsd().map(BigDecimal::toPlainString).orElse(null))
                .put("monthlyUsd", budget.monthlyUsd().map(BigDecimal::toPlainString).orElse(null));
    }

    /** {@code usedRatio}: spent / budget, as the gauge shows it; null without a budget for the period. */
    private static JsonObject period(Period period, TenantCounters counters, Optional<BudgetStanding> standing, Instant at) {
        BigDecimal reserved = period == Period.DAILY ? counters.reservedToday() : counters.reservedThisMonth();
        return new JsonObject()
                .put("spentUsd", counters.spent(period).toPlainString())
                .put("reservedUsd", reserved.toPlainString())
                .put("usedRatio", standing.flatMap(s -> s.ratio(period)).map(BigDecimal::doubleValue).orElse(null))
                .put("resetsAt", period.endOf(at).toString());
    }
}
