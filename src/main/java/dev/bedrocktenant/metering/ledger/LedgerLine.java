package dev.bedrocktenant.metering.ledger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.bedrocktenant.usage.Usage;
import org.agrona.ExpandableArrayBuffer;

/**
 * The ledger's line format (docs/reference.md, Usage ledger): one JSON object per request, fields always present
 * and always in this order, so that a line can be checked with grep and diffed byte for byte:
 * <pre>{"ts","requestId","tenant","model","profileArn","operation","inputTokens","outputTokens",
 * "cacheReadTokens","cacheWriteTokens","costUsd","status","outcome","partial","latencyMs",
 * "cacheWrite5mTokens","cacheWrite1hTokens","serviceTier"}</pre>
 * (the last three added after the others, at the end, so that a reader of the older line finds its fields where
 * they were). {@code ts} is an ISO-8601 UTC instant with milliseconds; token counts are JSON null only when tokens
 * were used but could not be read (then all of them, on a partial line), else numbers, 0 where none were used;
 * {@code cacheWrite5mTokens} plus {@code cacheWrite1hTokens} is {@code cacheWriteTokens}; {@code serviceTier} is the
 * tier Bedrock said it served the request in, null where it did not say;
 * {@code costUsd} is a decimal string, so no reader ever sees it through a binary float.
 *
 * <p>Written by hand rather than with Jackson's {@code JsonGenerator}, which writes the same bytes: a line with its
 * timestamp took 128–137 ns here against 737–857 ns with a generator per line and {@code DateTimeFormatter}, medians
 * of 5 JVMs in each of two runs ({@code ONLY=LedgerLine bash bench/metering-micro.sh}, 2026-12-03). Of the
 * 600–730 ns a line (about 0.5 % of the proxy's ~130 µs), the encoder itself is 370–480 ns (run-to-run noise 110 ns),
 * {@link UtcMillisTimestamp} and the {@link LineBuffer}'s memo the rest.
 */
public final class LedgerLine {

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    /** Bytes of a typical line with an application profile ARN (a buffer grows once, to the room a line reserves). */
    static final int TYPICAL_BYTES = 512;
    // The syntax as bytes, copied whole: copied character by character (putStringWithoutLengthAscii), it was a
    // quarter of a line's cost.
    private static final byte[] OPEN_TS = ascii("{\"ts\":\"");
    private static final byte[] REQUEST_ID = ascii(",\"requestId\":");
    private static final byte[] TENANT = ascii(",\"tenant\":");
    private static final byte[] MODEL = ascii(",\"model\":");
    private static final byte[] PROFILE_ARN = ascii(",\"profileArn\":");
    private static final byte[] OPERATION = ascii(",\"operation\":");
    private static final byte[] INPUT_TOKENS = ascii(",\"inputTokens\":");
    private static final byte[] OUTPUT_TOKENS = ascii(",\"outputTokens\":");
    private static final byte[] CACHE_READ_TOKENS = ascii(",\"cacheReadTokens\":");
    private static final byte[] CACHE_WRITE_TOKENS = ascii(",\"cacheWriteTokens\":");
    private static final byte[] COST_USD = ascii(",\"costUsd\":");
    private static final byte[] STATUS = ascii(",\"status\":");
    private static final byte[] OUTCOME = ascii(",\"outcome\":");
    private static final byte[] PARTIAL_TRUE = ascii(",\"partial\":true");
    private static final byte[] PARTIAL_FALSE = ascii(",\"partial\":false");
    private static final byte[] LATENCY_MS = ascii(",\"latencyMs\":");
    private static final byte[] CACHE_WRITE_5M_TOKENS = ascii(",\"cacheWrite5mTokens\":");
    private static final byte[] CACHE_WRITE_1H_TOKENS = ascii(",\"cacheWrite1hTokens\":");
    private static final byte[] SERVICE_TIER = ascii(",\"serviceTier\":");
    private static final byte[] CLOSE = ascii("}");
    private static final byte[] NULL = ascii("null");
    private static final int MAX_LONG_DIGITS = 19;
    /** Digits of the largest cost written from its unscaled long (below 10^17, so that 10^scale fits too). */
    private static final int MAX_DECIMAL_DIGITS = 17;
    /** {@code 2026-11-24T10:15:30.123Z} is 24; years past 9999 take a sign and more digits. */
    private static final int MAX_TIMESTAMP_BYTES = 32;
    /** Jackson writes a control character as {@code \\u00XX}: six bytes, the most any one char takes. */
    private static final int MAX_BYTES_PER_ESCAPED_CHAR = 6;
    /** A line's syntax, timestamp and numbers at their longest: all of it but the strings' contents. */
    private static final int MAX_LINE_BYTES_BESIDES_TEXT = OPEN_TS.length + MAX_TIMESTAMP_BYTES + 1
            + REQUEST_ID.length + TENANT.length + MODEL.length + PROFILE_ARN.length + OPERATION.length
            + INPUT_TOKENS.length + OUTPUT_TOKENS.length + CACHE_READ_TOKENS.length + CACHE_WRITE_TOKENS.length
            + COST_USD.length + STATUS.length + OUTCOME.length + PARTIAL_FALSE.length + LATENCY_MS.length
            + CACHE_WRITE_5M_TOKENS.length + CACHE_WRITE_1H_TOKENS.length + SERVICE_TIER.length
            + CLOSE.length + 1 // newline
            + 8 * 2 // the strings' quotes
            + 8 * (MAX_LONG_DIGITS + 1); // six counts, status and latency, at their longest (sign included)

    private LedgerLine() {
    }

    /** The line for a finished request, without the trailing newline. */
    public static String encode(Usage usage) {
        return encode(LedgerEntry.of(usage));
    }

    /** The line for an entry, without the trailing newline. */
    public static String encode(LedgerEntry entry) {
        ExpandableArrayBuffer line = new ExpandableArrayBuffer(TYPICAL_BYTES);
        int length = encode(entry, line);
        return new String(line.byteArray(), 0, length - 1, StandardCharsets.UTF_8);
    }

    /** Writes the line for a finished request into {@code line}, as {@link #encode(LedgerEntry, ExpandableArrayBuffer)}. */
    static int encode(Usage usage, ExpandableArrayBuffer line) {
        return encode(LedgerEntry.of(usage), line);
    }

    /** Writes the line for a finished request into the thread's buffer, as {@link #encode(LedgerEntry, ExpandableArrayBuffer)}. */
    static int encode(Usage usage, LineBuffer buffer) {
        return encode(LedgerEntry.of(usage), buffer.line, buffer);
    }

    /**
     * A thread's buffer for its lines, reused, and the bytes its last line had from the tenant to the operation.
     * A thread writes lines for the same few tenants, models and profiles over and over, and copying those bytes
     * whole costs less than checking every character of them again: 100–122 ns a line (run-to-run noise 22 ns;
     * {@code LedgerLineBench hand} against {@code hand-nomemo}, as above).
     */
    static final class LineBuffer {
        final ExpandableArrayBuffer line = new ExpandableArrayBuffer(TYPICAL_BYTES);
        private String tenant;
        private String model;
        private String profileArn;
        private String operation;
        private byte[] route = new byte[0];

        /** Writes the entry's tenant, model, profile and operation (names included); returns the index after them. */
        private int route(byte[] out, int at, LedgerEntry entry, String profileArn) {
            if (entry.tenant().equals(tenant) && entry.model().equals(model) && entry.operation().equals(operation)
                    && Objects.equals(profileArn, this.profileArn)) {
                return syntax(out, at, route);
            }
            int end = LedgerLine.route(out, at, entry, profileArn);
            route = Arrays.copyOfRange(out, at, end);
            tenant = entry.tenant();
            model = entry.model();
            this.profileArn = profileArn;
            operation = entry.operation();
            return end;
        }
    }

    /**
     * Writes the line for an entry into {@code line} from its start, as UTF-8 with the trailing newline;
     * returns its length in bytes. Assembled directly as bytes, with Jackson's escaping for the strings that
     * need it: the shape is fixed, and a {@code JsonGenerator} costs several times more (above). Room for the
     * longest line these values could make is reserved once, and the bytes then go straight into the array:
     * a bounds check and possible growth on every put was a sixth of the line's cost.
     * {@link LedgerLineTest} checks the result against Jackson's own output and parse.
     */
    static int encode(LedgerEntry entry, ExpandableArrayBuffer line) {
        return encode(entry, line, null);
    }

    private static int encode(LedgerEntry entry, ExpandableArrayBuffer line, LineBuffer remembered) {
        BigDecimal costUsd = entry.costUsd();
        String cost = fitsInLong(costUsd) ? null : costUsd.toPlainString();
        String profileArn = entry.profileArn().orElse(null);
        String serviceTier = entry.serviceTier().orElse(null);
        int textChars = entry.requestId().length() + entry.tenant().length() + entry.model().length()
                + (profileArn == null ? 0 : profileArn.length()) + entry.operation().length()
                + (serviceTier == null ? 0 : serviceTier.length())
                + (cost == null ? costUsd.scale() + MAX_LONG_DIGITS + 2 : cost.length()) // (sign, point)
                + entry.outcome().label.length();
        line.checkLimit(MAX_LINE_BYTES_BESIDES_TEXT + MAX_BYTES_PER_ESCAPED_CHAR * textChars); // grows it
        byte[] out = line.byteArray();
        int at = syntax(out, 0, OPEN_TS);
        at = UtcMillisTimestamp.write(entry.timestamp(), out, at);
        out[at++] = '"';
        at = string(out, at, REQUEST_ID, entry.requestId());
        at = remembered == null ? route(out, at, entry, profileArn) : remembered.route(out, at, entry, profileArn);
        at = count(out, at, INPUT_TOKENS, entry.tokens().inputTokens());
        at = count(out, at, OUTPUT_TOKENS, entry.tokens().outputTokens());
        at = count(out, at, CACHE_READ_TOKENS, entry.tokens().cacheReadTokens());
        at = count(out, at, CACHE_WRITE_TOKENS, entry.tokens().cacheWriteTokens());
        at = cost == null ? decimal(out, at, costUsd) : string(out, at, COST_USD, cost);
        at = number(out, syntax(out, at, STATUS), entry.status());
        at = string(out, at, OUTCOME, entry.outcome().label);
        at = syntax(out, at, entry.partial() ? PARTIAL_TRUE : PARTIAL_FALSE);
        at = number(out, syntax(out, at, LATENCY_MS), entry.latencyMs());
        at = count(out, at, CACHE_WRITE_5M_TOKENS, entry.tokens().cacheWrite5mTokens());
        at = count(out, at, CACHE_WRITE_1H_TOKENS, entry.tokens().cacheWrite1hTokensKnown());
        at = string(out, at, SERVICE_TIER, serviceTier);
        at = syntax(out, at, CLOSE);
        out[at] = '\n';
        return at + 1;
    }

    /** The tenant, model, profile and operation, names included; returns the index after them. */
    private static int route(byte[] out, int at, LedgerEntry entry, String profileArn) {
        at = string(out, at, TENANT, entry.tenant());
        at = string(out, at, MODEL, entry.model());
        at = string(out, at, PROFILE_ARN, profileArn);
        return string(out, at, OPERATION, entry.operation());
    }

    /** {@code name} (with its comma and colon), then the value as a JSON string, or null. */
    private static int string(byte[] out, int at, byte[] name, String value) {
        at = syntax(out, at, name);
        if (value == null) {
            return syntax(out, at, NULL);
        }
        out[at++] = '"';
        int end = unescaped(out, at, value); // ids, names and ARNs nearly always: no escaper pass
        if (end < 0) {
            end = syntax(out, at, ESCAPE.quoteAsUTF8(value));
        }
        out[end] = '"';
        return end + 1;
    }

    /** Copies JSON syntax (names, punctuation, literals) or escaped text as it is; returns the index after it. */
    private static int syntax(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    private static byte[] ascii(String syntax) {
        return syntax.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Copies a string's contents as they are when they are printable ASCII without quote or backslash (what
     * JSON takes unchanged), checking as it copies; returns the index after them, or -1 when they need escaping.
     */
    private static int unescaped(byte[] out, int at, String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                return -1;
            }
            out[at + i] = (byte) c;
        }
        return at + length;
    }

    /**
     * Whether {@link #decimal} can write the value: up to 17 digits, not in exponent form. Costs nearly always
     * are; others take {@link BigDecimal#toPlainString()}, which made three objects per line.
     */
    private static boolean fitsInLong(BigDecimal value) {
        return value.scale() >= 0 && value.precision() <= MAX_DECIMAL_DIGITS;
    }

    /** The cost field, its value a JSON string of exactly the characters {@link BigDecimal#toPlainString()} gives. */
    private static int decimal(byte[] out, int at, BigDecimal value) {
        at = syntax(out, at, COST_USD);
        out[at++] = '"';
        int scale = value.scale();
        long unscaled = value.movePointRight(scale).longValue(); // exact: 17 digits at most
        if (unscaled < 0) {
            out[at++] = '-';
            unscaled = -unscaled;
        }
        // below 10^17: with a scale of 17 or more it is all fraction
        long power = scale < MAX_DECIMAL_DIGITS ? pow10(scale) : 0;
        long whole = power == 0 ? 0 : unscaled / power;
        long fraction = power == 0 ? unscaled : unscaled % power;
        at = number(out, at, whole);
        if (scale > 0) {
            out[at++] = '.';
            at = digits(out, at, fraction, scale);
        }
        out[at] = '"';
        return at + 1;
    }

    /** Exactly {@code width} digits of {@code value}, zeros first; returns the index after them. */
    private static int digits(byte[] out, int at, long value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    private static long pow10(int exponent) {
        long power = 1;
        for (int i = 0; i < exponent; i++) {
            power *= 10;
        }
        return power;
    }

    private static int count(byte[] out, int at, byte[] name, OptionalLong count) {
        at = syntax(out, at, name);
        return count.isPresent() ? number(out, at, count.getAsLong()) : syntax(out, at, NULL);
    }

    /** A whole number in decimal; returns the index after it. */
    private static int number(byte[] out, int at, long value) {
        if (value < 0) { // (no field of a line is negative; written right all the same)
            return syntax(out, at, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        }
        return digits(out, at, value, digitCount(value));
    }

    private static int digitCount(long value) {
        int digits = 1;
        for (long bound = 10; digits < MAX_LONG_DIGITS && value >= bound; bound *= 10) {
            digits++;
        }
        return digits;
    }
}
