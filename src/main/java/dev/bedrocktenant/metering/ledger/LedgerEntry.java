package dev.bedrocktenant.metering.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/**
 * One ledger line as a value: exactly the fields the line carries (docs/reference.md §7), no more. Lighter than
 * {@link Usage}, which also carries what the ledger does not keep ({@code priced}, time to first token),
 * so that reading a line back never has to invent a value.
 *
 * @param timestamp   millisecond precision, as written
 * @param tokens      all counts, or none of them: tokens were used but could not be read
 * @param serviceTier the tier Bedrock served the request in, where it said
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
                          long latencyMs,
                          Optional<String> serviceTier) {

    private static final ObjectMapper READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        Objects.requireNonNull(serviceTier, "serviceTier");
    }

    /** A request Bedrock named no service tier for. */
    public LedgerEntry(Instant timestamp, String requestId, String tenant, String model, Optional<String> profileArn,
                       String operation, TokenUsage tokens, BigDecimal costUsd, int status, Outcome outcome,
                       boolean partial, long latencyMs) {
        this(timestamp, requestId, tenant, model, profileArn, operation, tokens, costUsd, status, outcome, partial,
                latencyMs, Optional.empty());
    }

    /**
     * What the ledger keeps of a finished request: the timestamp cut to milliseconds, the latency in whole ms,
     * and a token type the response did not report as 0 (it was not used), so that null means unknown only.
     */
    public static LedgerEntry of(Usage usage) {
        return new LedgerEntry(usage.timestamp().truncatedTo(ChronoUnit.MILLIS), usage.requestId(), usage.tenant(),
                usage.model(), usage.profileArn(), usage.operation(), usage.tokens().unreportedAsZero(), usage.costUsd(),
                usage.status(), usage.outcome(), usage.partial(), usage.latency().toMillis(), usage.serviceTier());
    }

    /**
     * Parses a line of the ledger ({@link LedgerLine}) back, exactly (the cost as the same BigDecimal, scale included).
     * A line written before the ledger split cache writes by TTL and named the served tier (no
     * {@code cacheWrite1hTokens}, no {@code serviceTier}) reads as five-minute writes and no tier.
     *
     * @throws IllegalArgumentException when the line is not a whole, valid ledger line (torn by a crash, edited)
     */
    public static LedgerEntry parse(String line) {
        JsonNode node;
        try {
            node = READER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a whole JSON object (torn or edited)"); // no content: keep it out of logs
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        try {
            return new LedgerEntry(
                    Instant.parse(text(node, "ts")),
                    text(node, "requestId"),
                    text(node, "tenant"),
                    text(node, "model"),
                    Optional.ofNullable(nullableText(node, "profileArn")),
                    text(node, "operation"),
                    tokens(node),
                    new BigDecimal(text(node, "costUsd")),
                    (int) integer(node, "status"),
                    outcome(text(node, "outcome")),
                    bool(node, "partial"),
                    integer(node, "latencyMs"),
                    node.has("serviceTier") ? Optional.ofNullable(nullableText(node, "serviceTier")) : Optional.empty());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("bad value: " + e.getMessage());
        }
    }

    /** The five-minute writes are the writes less the one-hour ones: the line's cacheWrite5mTokens is not read. */
    private static TokenUsage tokens(JsonNode node) {
        OptionalLong cacheWrite = count(node, "cacheWriteTokens");
        OptionalLong oneHour = node.has("cacheWrite1hTokens") ? count(node, "cacheWrite1hTokens") : OptionalLong.empty();
        return new TokenUsage(count(node, "inputTokens"), count(node, "outputTokens"), count(node, "cacheReadTokens"),
                cacheWrite, oneHour);
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing field " + name);
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return value.textValue();
    }

    private static String nullableText(JsonNode node, String name) {
        return field(node, name).isNull() ? null : text(node, name);
    }

    private static long integer(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(name + " is not an integer");
        }
        return value.longValue();
    }

    private static OptionalLong count(JsonNode node, String name) {
        return field(node, name).isNull() ? OptionalLong.empty() : OptionalLong.of(integer(node, name));
    }

    private static boolean bool(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(name + " is not a boolean");
        }
        return value.booleanValue();
    }

    private static Outcome outcome(String label) {
        for (Outcome outcome : Outcome.values()) {
            if (outcome.label.equals(label)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown outcome " + label);
    }
}
