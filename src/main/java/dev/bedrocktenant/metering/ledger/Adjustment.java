package dev.bedrocktenant.metering.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.bedrocktenant.budget.Period;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/**
 * An administrator's reset of a tenant's counters, as the ledger records it (docs/reference.md §7): a line of
 * the usual format whose {@code operation} is no Bedrock operation, without model, profile, tokens or cost, so
 * that sums of the ledger stay what they were and readers that care can tell it from a request.
 */
public enum Adjustment {
    RESET_DAILY("daily", "ResetDailySpend", Optional.of(Period.DAILY)),
    RESET_MONTHLY("monthly", "ResetMonthlySpend", Optional.of(Period.MONTHLY)),
    RESET_MINUTE("minute", "ResetMinuteWindow", Optional.empty());

    /** The admin API's name of what is reset. */
    public final String label;
    /** The line's {@code operation}. */
    public final String operation;
    /** The budget period whose spend is forgotten; none for the current minute's requests and tokens. */
    public final Optional<Period> period;

    Adjustment(String label, String operation, Optional<Period> period) {
        this.label = label;
        this.operation = operation;
        this.period = period;
    }

    public static Optional<Adjustment> byLabel(String label) {
        for (Adjustment adjustment : values()) {
            if (adjustment.label.equals(label)) {
                return Optional.of(adjustment);
            }
        }
        return Optional.empty();
    }

    /** What a ledger line records, when it is an adjustment rather than a request. */
    public static Optional<Adjustment> of(LedgerEntry entry) {
        for (Adjustment adjustment : values()) {
            if (adjustment.operation.equals(entry.operation())) {
                return Optional.of(adjustment);
            }
        }
        return Optional.empty();
    }

    /**
     * The line, as a {@link Usage} so that it takes the ledger's one durable path: status 200 and success (the
     * reset was done), nothing used.
     *
     * @param requestId the admin request's id, which its answer carries too
     */
    public Usage line(String tenant, String requestId, Instant at) {
        return new Usage(at, requestId, tenant, Usage.NO_MODEL, Optional.empty(), operation, TokenUsage.NONE,
                BigDecimal.ZERO, true, 200, Outcome.SUCCESS, false, Duration.ZERO, Optional.empty());
    }
}
