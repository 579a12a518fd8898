package dev.bedrocktenant.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/**
 * One ledger line as a value: exactly the fields the line carries (CONTRACT §8), no more. Lighter than
 * {@link Usage}, which also carries what the ledger does not keep ({@code priced}, time to first token),
 * so that reading a line back never has to invent a value.
 *
 * @param timestamp millisecond precision, as written
 * @param tokens    empty counts were not reported (not the same as zero)
 */
public record LedgerEntry(Instant timestamp,
                          String requestId,
                          String tenant,
                          String model,
                          Optional<String> profileArn,
                          String operation,
                          TokenUsage tokens,
                          BigDecimal costUsd,
                          int status,
                          Outcome outcome,
                          boolean partial,
                          long latencyMs) {

    public LedgerEntry {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(profileArn, "profileArn");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** What the ledger keeps of a finished request: the timestamp cut to milliseconds, the latency in whole ms. */
    public static LedgerEntry of(Usage usage) {
        return new LedgerEntry(usage.timestamp().truncatedTo(ChronoUnit.MILLIS), usage.requestId(), usage.tenant(),
                usage.model(), usage.profileArn(), usage.operation(), usage.tokens(), usage.costUsd(), usage.status(),
                usage.outcome(), usage.partial(), usage.latency().toMillis());
    }
}
