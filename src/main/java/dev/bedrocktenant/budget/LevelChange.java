package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant's alert level changed: what the notifiers send.
 *
 * @param period    the budget whose used ratio set the level (the larger of the two)
 * @param usedUsd   what the tenant spent in that period
 * @param budgetUsd that period's budget
 * @param ratio     used / budget, exact
 */
public record LevelChange(String tenant, AlertLevel level, AlertLevel previousLevel, Period period, BigDecimal usedUsd,
                          BigDecimal budgetUsd, BigDecimal ratio, Instant at) {
}
