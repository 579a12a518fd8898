package dev.bedrocktenant.metering;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
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

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private LedgerLine() {
    }

    /** The line for a finished request, without the trailing newline. */
    public static String encode(Usage usage) {
        return encode(LedgerEntry.of(usage));
    }

    /** The line for an entry, without the trailing newline. */
    public static String encode(LedgerEntry entry) {
        StringWriter out = new StringWriter(320);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("ts", TS.format(entry.timestamp()));
            json.writeStringField("requestId", entry.requestId());
            json.writeStringField("tenant", entry.tenant());
            json.writeStringField("model", entry.model());
            json.writeStringField("profileArn", entry.profileArn().orElse(null));
            json.writeStringField("operation", entry.operation());
            writeCount(json, "inputTokens", entry.tokens().inputTokens());
            writeCount(json, "outputTokens", entry.tokens().outputTokens());
            writeCount(json, "cacheReadTokens", entry.tokens().cacheReadTokens());
            writeCount(json, "cacheWriteTokens", entry.tokens().cacheWriteTokens());
            json.writeStringField("costUsd", entry.costUsd().toPlainString());
            json.writeNumberField("status", entry.status());
            json.writeStringField("outcome", entry.outcome().label);
            json.writeBooleanField("partial", entry.partial());
            json.writeNumberField("latencyMs", entry.latencyMs());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
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

    private static void writeCount(JsonGenerator json, String name, OptionalLong count) throws IOException {
        if (count.isPresent()) {
            json.writeNumberField(name, count.getAsLong());
        } else {
            json.writeNullField(name);
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
