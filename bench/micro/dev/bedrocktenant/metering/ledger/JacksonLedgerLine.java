package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.bedrocktenant.usage.Usage;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.io.ExpandableDirectBufferOutputStream;

/**
 * The ledger line written with the libraries instead of by hand: Jackson's {@code JsonGenerator} and
 * {@code DateTimeFormatter}, into a thread's reused buffer (the same bytes as {@link LedgerLine}: its tests compare
 * it with Jackson's output). A generator per line: one kept per thread, flushed after each line, measured no faster.
 */
final class JacksonLedgerLine {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter ISO_MILLIS = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();
    // field names encoded once, as Jackson allows for speed
    private static final SerializedString TS = new SerializedString("ts");
    private static final SerializedString REQUEST_ID = new SerializedString("requestId");
    private static final SerializedString TENANT = new SerializedString("tenant");
    private static final SerializedString MODEL = new SerializedString("model");
    private static final SerializedString PROFILE_ARN = new SerializedString("profileArn");
    private static final SerializedString OPERATION = new SerializedString("operation");
    private static final SerializedString INPUT_TOKENS = new SerializedString("inputTokens");
    private static final SerializedString OUTPUT_TOKENS = new SerializedString("outputTokens");
    private static final SerializedString CACHE_READ_TOKENS = new SerializedString("cacheReadTokens");
    private static final SerializedString CACHE_WRITE_TOKENS = new SerializedString("cacheWriteTokens");
    private static final SerializedString COST_USD = new SerializedString("costUsd");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString OUTCOME = new SerializedString("outcome");
    private static final SerializedString PARTIAL = new SerializedString("partial");
    private static final SerializedString LATENCY_MS = new SerializedString("latencyMs");
    private static final SerializedString CACHE_WRITE_5M_TOKENS = new SerializedString("cacheWrite5mTokens");
    private static final SerializedString CACHE_WRITE_1H_TOKENS = new SerializedString("cacheWrite1hTokens");
    private static final SerializedString SERVICE_TIER = new SerializedString("serviceTier");

    private JacksonLedgerLine() {
    }

    /** Writes the line and its newline at the start of {@code line}; returns its length. */
    static int encode(Usage usage, ExpandableArrayBuffer line) {
        ExpandableDirectBufferOutputStream out = new ExpandableDirectBufferOutputStream(line);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            fields(json, LedgerEntry.of(usage));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line.putByte(out.position(), (byte) '\n');
        return out.position() + 1;
    }

    private static void fields(JsonGenerator json, LedgerEntry entry) throws IOException {
        json.writeStartObject();
        string(json, TS, ISO_MILLIS.format(entry.timestamp()));
        string(json, REQUEST_ID, entry.requestId());
        string(json, TENANT, entry.tenant());
        string(json, MODEL, entry.model());
        string(json, PROFILE_ARN, entry.profileArn().orElse(null));
        string(json, OPERATION, entry.operation());
        count(json, INPUT_TOKENS, entry.tokens().inputTokens());
        count(json, OUTPUT_TOKENS, entry.tokens().outputTokens());
        count(json, CACHE_READ_TOKENS, entry.tokens().cacheReadTokens());
        count(json, CACHE_WRITE_TOKENS, entry.tokens().cacheWriteTokens());
        string(json, COST_USD, entry.costUsd().toPlainString());
        json.writeFieldName(STATUS);
        json.writeNumber(entry.status());
        string(json, OUTCOME, entry.outcome().label);
        json.writeFieldName(PARTIAL);
        json.writeBoolean(entry.partial());
        json.writeFieldName(LATENCY_MS);
        json.writeNumber(entry.latencyMs());
        count(json, CACHE_WRITE_5M_TOKENS, entry.tokens().cacheWrite5mTokens());
        count(json, CACHE_WRITE_1H_TOKENS, entry.tokens().cacheWrite1hTokensKnown());
        string(json, SERVICE_TIER, entry.serviceTier().orElse(null));
        json.writeEndObject();
    }

    private static void string(JsonGenerator json, SerializedString name, String value) throws IOException {
        json.writeFieldName(name);
        json.writeString(value); // (null: JSON null)
    }

    private static void count(JsonGenerator json, SerializedString name, OptionalLong count) throws IOException {
        json.writeFieldName(name);
        if (count.isPresent()) {
            json.writeNumber(count.getAsLong());
        } else {
            json.writeNull();
        }
    }
}
