package dev.bedrocktenant.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/**
 * The ledger's line format (CONTRACT §8): one JSON object per request, fields always present and always in
 * this order, so that a line can be checked with grep and diffed byte for byte:
 * <pre>{"ts","requestId","tenant","model","profileArn","operation","inputTokens","outputTokens",
 * "cacheReadTokens","cacheWriteTokens","costUsd","status","outcome","partial","latencyMs"}</pre>
 * {@code ts} is an ISO-8601 UTC instant with milliseconds; token counts not reported are JSON null (not 0);
 * {@code costUsd} is a decimal string, so no reader ever sees it through a binary float.
 */
public final class LedgerLine {

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    /** Enough for a typical line with an application profile ARN, so the builder rarely grows. */
    private static final int LINE_CAPACITY = 512;
    private static final ObjectMapper READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private LedgerLine() {
    }

    /** The line for a finished request, without the trailing newline. */
    public static String encode(Usage usage) {
        return encode(LedgerEntry.of(usage));
    }

    /**
     * The line for an entry, without the trailing newline. Assembled directly, with Jackson's escaping for
     * the strings: the shape is fixed, and a {@code JsonGenerator} and a {@code DateTimeFormatter} per line
     * cost more than the rest of metering together (bench/README.md). {@link LedgerLineTest} checks the
     * result against Jackson's own parse.
     */
    public static String encode(LedgerEntry entry) {
        StringBuilder line = new StringBuilder(LINE_CAPACITY);
        line.append("{\"ts\":\"");
        UtcMillisTimestamp.append(entry.timestamp(), line);
        line.append('"');
        string(line, "requestId", entry.requestId());
        string(line, "tenant", entry.tenant());
        string(line, "model", entry.model());
        string(line, "profileArn", entry.profileArn().orElse(null));
        string(line, "operation", entry.operation());
        count(line, "inputTokens", entry.tokens().inputTokens());
        count(line, "outputTokens", entry.tokens().outputTokens());
        count(line, "cacheReadTokens", entry.tokens().cacheReadTokens());
        count(line, "cacheWriteTokens", entry.tokens().cacheWriteTokens());
        string(line, "costUsd", entry.costUsd().toPlainString());
        line.append(",\"status\":").append(entry.status());
        string(line, "outcome", entry.outcome().label);
        line.append(",\"partial\":").append(entry.partial());
        line.append(",\"latencyMs\":").append(entry.latencyMs());
        return line.append('}').toString();
    }

    /**
     * Parses one line back, exactly (the cost as the same BigDecimal, scale included).
     *
     * @throws IllegalArgumentException when the line is not a whole, valid ledger line (torn by a crash, edited)
     */
    public static LedgerEntry decode(String line) {
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
                    new TokenUsage(count(node, "inputTokens"), count(node, "outputTokens"),
                            count(node, "cacheReadTokens"), count(node, "cacheWriteTokens")),
                    new BigDecimal(text(node, "costUsd")),
                    (int) integer(node, "status"),
                    outcome(text(node, "outcome")),
                    bool(node, "partial"),
                    integer(node, "latencyMs"));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("bad value: " + e.getMessage());
        }
    }

    private static void string(StringBuilder line, String name, String value) {
        line.append(",\"").append(name).append("\":");
        if (value == null) {
            line.append("null");
        } else {
            line.append('"');
            if (needsNoEscaping(value)) {
                line.append(value); // ids, names and ARNs nearly always: no escaper pass
            } else {
                ESCAPE.quoteAsString(value, line);
            }
            line.append('"');
        }
    }

    /** Printable ASCII without quote or backslash: what JSON takes as it is. */
    private static boolean needsNoEscaping(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static void count(StringBuilder line, String name, OptionalLong count) {
        line.append(",\"").append(name).append("\":");
        if (count.isPresent()) {
            line.append(count.getAsLong());
        } else {
            line.append("null");
        }
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
