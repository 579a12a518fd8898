package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.bedrocktenant.tenant.Tenant;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Each budgeted tenant's standing against its budgets, shown as the {@code bedrock_tenant_budget_used_ratio}
 * and {@code bedrock_tenant_alert_level} gauges; a change of level is logged once and handed to the notifiers
 * (as a {@link LevelChange} event, whose observers queue it and return).
 */
@Singleton
public class AlertLevels {

    private static final Logger LOG = Logger.getLogger(AlertLevels.class);
    static final String USED_RATIO = "bedrock_tenant_budget_used_ratio";
    static final String LEVEL = "bedrock_tenant_alert_level";

    private final StateStore store;
    private final List<BigDecimal> thresholds;
    private final MeterRegistry registry;
    private final Event<LevelChange> changes;
    private final Map<String, AtomicReference<BudgetStanding>> standings = new ConcurrentHashMap<>();

    public AlertLevels(StateStore store, AlertsConfig config, MeterRegistry registry, Event<LevelChange> changes) {
        this.store = store;
        this.thresholds = List.copyOf(config.thresholds());
        this.registry = registry;
        this.changes = changes;
        requireAscending(thresholds);
    }

    /** After the tenant's spend moved (or was reset): its gauges, and its level where that changed. */
    public void update(Tenant tenant, TenantCounters counters, Instant at) {
        if (tenant.budget().isEmpty()) {
            return;
        }
        Tenant.Budget budget = tenant.budget().get();
        BudgetStanding standing = show(tenant.id(), budget, counters);
        store.recordLevel(tenant.id(), standing.level()).thenAccept(previous -> previous.ifPresent(was -> {
            Period period = standing.period();
            BigDecimal budgetUsd = (period == Period.DAILY ? budget.dailyUsd() : budget.monthlyUsd()).orElseThrow();
            LevelChange change = new LevelChange(tenant.id(), standing.level(), was, period, counters.spent(period),
                    budgetUsd, standing.ratio(period).orElseThrow(), at);
            LOG.infof("alert level tenant=%s level=%s previous=%s period=%s usedUsd=%s budgetUsd=%s", tenant.id(),
                    change.level().label(), was.label(), period.label, change.usedUsd().toPlainString(),
                    budgetUsd.toPlainString());
            changes.fire(change);
        }));
    }

    /**
     * At start, from the spend the ledger shows: its gauges and its level, recorded without announcing a
     * change — the level before the restart lived in memory and was announced then, if it changed.
     */
    public void restore(Tenant tenant, TenantCounters counters) {
        tenant.budget().ifPresent(budget -> {
            BudgetStanding standing = show(tenant.id(), budget, counters);
            store.recordLevel(tenant.id(), standing.level());
            if (standing.level() != AlertLevel.GREEN) {
                LOG.infof("alert level restored tenant=%s level=%s period=%s usedUsd=%s", tenant.id(),
                        standing.level().label(), standing.period().label,
                        counters.spent(standing.period()).toPlainString());
            }
        });
    }

    private BudgetStanding show(String tenant, Tenant.Budget budget, TenantCounters counters) {
        BudgetStanding standing = BudgetStanding.of(budget, counters, thresholds);
        standings.computeIfAbsent(tenant, id -> register(id, budget)).set(standing);
        return standing;
    }

    /** The tenant's standing as last computed here, for the admin view. */
    public java.util.Optional<BudgetStanding> standing(String tenant) {
        return java.util.Optional.ofNullable(standings.get(tenant)).map(AtomicReference::get);
    }

    private AtomicReference<BudgetStanding> register(String tenant, Tenant.Budget budget) {
        AtomicReference<BudgetStanding> standing = new AtomicReference<>();
        for (Period period : Period.values()) {
            if ((period == Period.DAILY ? budget.dailyUsd() : budget.monthlyUsd()).isPresent()) {
                Gauge.builder(USED_RATIO, standing, s -> s.get().ratio(period).map(BigDecimal::doubleValue).orElse(Double.NaN))
                        .tags("tenant", tenant, "period", period.label)
                        .description("Budget used in the period: spent / budget")
                        .register(registry);
            }
        }
        Gauge.builder(LEVEL, standing, s -> s.get().level().value())
                .tags("tenant", tenant)
                .description("Alert level by budget used: 0 green, 1 yellow, 2 orange, 3 red")
                .register(registry);
        return standing;
    }

    private static void requireAscending(List<BigDecimal> thresholds) {
        boolean ascending = thresholds.size() == 3 && thresholds.get(0).signum() > 0
                && thresholds.get(0).compareTo(thresholds.get(1)) < 0 && thresholds.get(1).compareTo(thresholds.get(2)) < 0;
        if (!ascending) {
            throw new IllegalArgumentException("proxy.alerts.thresholds must be three ascending ratios above 0 (yellow,"
                    + " orange, red), such as 0.7,0.9,1.0, not " + thresholds);
        }
    }
}
