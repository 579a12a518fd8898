package dev.bedrocktenant.usage;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.bedrocktenant.wire.BedrockHeaders;

/**
 * Finds one key of the top-level JSON object (Converse's {@code usage}) in a document fed in pieces of any
 * size, and reads its counts. The same key deeper down (a tool result or a guardrail trace mentioning
 * {@code usage}) is not taken. Two small values are read too where they come: the top-level {@code serviceTier}
 * and usage's {@code cacheDetails}. Their bytes are kept as they pass (the loop that passes over a value copies
 * them once per chunk, not per byte) and handed to Jackson once whole, so a response without them costs two more
 * key comparisons and nothing else.
 *
 * <p>Written by hand, not with Jackson's non-blocking parser: that decodes every string and number of the
 * response, the whole generated text included, to find one key near the end, and was the largest single cost
 * of metering a Converse call; even handing Jackson just the usage object cost more than this scan. It follows
 * the members of the two objects that matter (the top level and usage) step by step: a key, its colon, its
 * value, then a comma or the closing brace. Each step goes straight on to the next while the chunk lasts, and
 * a chunk that ends mid-step leaves {@link #step} for the next chunk to resume from. That matters: deciding
 * afresh what each byte of those objects means costs ConverseScanBench (bench/metering-micro.sh) 356-384 ns per
 * response, against 265-275 going from step to step (the lowest of 5 JVMs in each of three or four runs; a
 * run's lowest varies by about 20 ns). Values of no interest (the output, the metrics) are run through in tight loops
 * that follow only strings and nesting, and string contents are searched eight bytes at a time: they are most
 * of the bytes. Nothing else of those values is validated, and a key spelled with escapes
 * ({@code "us\u0061ge"}) is not recognised: Bedrock sends neither.
 */
final class TopLevelUsageScanner {

    /** For the small JSON documents of stream chunks; field names are not interned. */
    static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    /** Longer than any key of interest: a longer key is none of them, and is not kept. */
    private static final int MAX_KEY_BYTES = ConverseKeys.MAX_BYTES;
    /** Digits of the largest count taken; more would overflow a long, and no response has that many tokens. */
    private static final int MAX_COUNT_DIGITS = 18;
    private static final String USAGE = "usage";
    /** {@link #valueOf} at the top level: the usage key (in usage, it holds a {@link TokenCounts} slot). */
    private static final int THE_USAGE = ConverseKeys.USAGE;
    /** {@code {"type":"<tier>"}} for each of {@link BedrockHeaders#SERVICE_TIERS}, the serviceTier objects Bedrock sends. */
    private static final byte[][] TIERS_AS_SENT = BedrockHeaders.SERVICE_TIERS.stream()
            .map(tier -> ("{\"type\":\"" + tier + "\"}").getBytes(StandardCharsets.US_ASCII))
            .toArray(byte[][]::new);
    /** Bytes of a kept value (serviceTier, cacheDetails) past which the response is taken as malformed. */
    private static final int MAX_KEPT_BYTES = 4096;
    private static final int TOP_LEVEL = 1;
    private static final int IN_USAGE = 2;
    // steps, in the object being followed; each names what the next byte that is not white space may be
    private static final int DOCUMENT = 0; // the top-level object's opening brace
    private static final int FIRST_KEY = 1; // a key's opening quote, or the brace that closes an empty object
    private static final int KEY = 2; // a key's opening quote, after a comma
    private static final int IN_KEY = 3; // inside a key (no white space skipped)
    private static final int COLON = 4;
    private static final int VALUE = 5; // a value's first byte
    private static final int IN_COUNT = 6; // a count's digits, or the byte after them
    private static final int IN_STRING = 7; // inside a string value that is passed over
    private static final int IN_NESTED = 8; // inside an object or array value that is passed over
    private static final int IN_LITERAL = 9; // inside a number, true, false or null that is passed over
    private static final int AFTER_VALUE = 10; // a comma, or the brace that closes the object
    private static final int AFTER_DOCUMENT = 11; // nothing
    // for quoteOrEscape: eight bytes of a chunk read as one long, and each byte value it looks for, repeated
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ALL_ONES = 0x0101010101010101L;
    private static final long ALL_HIGH_BITS = ALL_ONES << 7;
    private static final long ALL_QUOTES = ALL_ONES * '"';
    private static final long ALL_BACKSLASHES = ALL_ONES * '\\';

    /** Where the scan is in a member of the object being followed: one of the steps above. */
    private int step = DOCUMENT;
    /** Objects and arrays open after the bytes read so far. */
    private int depth;
    /** In {@link #IN_NESTED}, the chunk ended inside a string. */
    private boolean inString;
    /** The chunk ended inside a string on a backslash: the next byte is escaped. */
    private boolean escaped;
    private final byte[] keyBytes = new byte[MAX_KEY_BYTES];
    /** Bytes of the key read so far; -1 once it is escaped or too long to be of interest. */
    private int keyLength;
    /** The key just read: {@link #THE_USAGE} at the top level, a count's slot in usage, or {@link ConverseKeys#NONE}. */
    private int valueOf = ConverseKeys.NONE;
    /** The counts of the usage object while it is being read; null otherwise. */
    private TokenCounts reading;
    /** The count being read, digit by digit. */
    private long count;
    private int countDigits;
    private int countSlot;
    private Optional<TokenUsage> found = Optional.empty();
    private Optional<String> servedTier = Optional.empty();
    /** The key whose value is being kept ({@link ConverseKeys#SERVICE_TIER}, {@link ConverseKeys#CACHE_DETAILS}), or NONE. */
    private int keeping = ConverseKeys.NONE;
    private byte[] kept;
    private int keptLength;

    TopLevelUsageScanner() {
    }

    /** @throws MalformedUsage on JSON that is not one object, or a usage that is not counts */
    void feed(byte[] bytes, int offset, int length) throws MalformedUsage {
        int end = offset + length;
        for (int i = offset; i < end; ) {
            i = switch (step) {
                case DOCUMENT -> document(bytes, i, end);
                case FIRST_KEY, KEY -> key(bytes, i, end);
                case IN_KEY -> inKey(bytes, i, end);
                case COLON -> colon(bytes, i, end);
                case VALUE -> value(bytes, i, end);
                case IN_COUNT -> inCount(bytes, i, end);
                case IN_STRING -> inString(bytes, i, end);
                case IN_NESTED -> inNested(bytes, i, end);
                case IN_LITERAL -> inLiteral(bytes, i, end);
                case AFTER_VALUE -> afterValue(bytes, i, end);
                default -> afterDocument(bytes, i, end);
            };
        }
    }

    /** The document is complete: anything left open is malformed. */
    void endOfInput() throws MalformedUsage {
        if (step != AFTER_DOCUMENT) {
            throw new MalformedUsage("JSON ended inside a value");
        }
    }

    /** The usage object once it has been read whole. */
    Optional<TokenUsage> usage() {
        return found;
    }

    /** The served tier, once the top-level serviceTier has been read whole. */
    Optional<String> servedTier() {
        return servedTier;
    }

    // Each step below reads from i on and returns the index of the first byte it did not read: end when the
    // chunk ran out (its step is then set to resume from), or where the next member or object starts.

    private int document(byte[] bytes, int i, int end) {
        i = skipSpace(bytes, i, end, DOCUMENT);
        if (i == end) {
            return end;
        }
        if (bytes[i] != '{') {
            throw new MalformedUsage("not a JSON object");
        }
        depth = TOP_LEVEL;
        step = FIRST_KEY;
        return i + 1;
    }

    private int key(byte[] bytes, int i, int end) {
        i = skipSpace(bytes, i, end, step);
        if (i == end) {
            return end;
        }
        byte b = bytes[i];
        if (b == '"') {
            keyLength = 0;
            return inKey(bytes, i + 1, end);
        }
        if (step == KEY && (b == ',' || b == '}')) {
            throw new MalformedUsage("a comma before " + (char) b);
        }
        if (step == FIRST_KEY && b == '}') {
            return closeObject(i);
        }
        throw unexpected(b, "a key");
    }

    private int inKey(byte[] bytes, int i, int end) {
        i = stringEnd(bytes, i, end, true);
        if (i == end) {
            step = IN_KEY;
            return end;
        }
        valueOf = keyLength < 0 ? ConverseKeys.NONE : keyRead();
        return colon(bytes, i + 1, end);
    }

    private int colon(byte[] bytes, int i, int end) {
        i = skipSpace(bytes, i, end, COLON);
        if (i == end) {
            return end;
        }
        if (bytes[i] != ':') {
            throw unexpected(bytes[i], "a colon");
        }
        return value(bytes, i + 1, end);
    }

    /**
     * A value starts. As the usage it must be an object (or null); as a count, a non-negative integer (or null);
     * any other value is passed over.
     */
    private int value(byte[] bytes, int i, int end) {
        i = skipSpace(bytes, i, end, VALUE);
        if (i == end) {
            return end;
        }
        byte b = bytes[i];
        int key = valueOf;
        valueOf = ConverseKeys.NONE;
        if (key == THE_USAGE) {
            if (b == '{') {
                reading = new TokenCounts(TokenFieldNames.CONVERSE);
                depth++;
                step = FIRST_KEY;
                return i + 1;
            }
            if (b != 'n') { // null: no usage reported
                throw new MalformedUsage(USAGE + (b == '[' ? " is an array" : " is not an object"));
            }
        } else if (key == ConverseKeys.SERVICE_TIER || key == ConverseKeys.CACHE_DETAILS) {
            if (b == '{' || b == '[') {
                keeping = key;
                keptLength = 0;
                keep(bytes, i, i + 1);
                depth++;
                return inNested(bytes, i + 1, end);
            }
            if (b != 'n') { // null: not reported
                throw new MalformedUsage((key == ConverseKeys.SERVICE_TIER ? "serviceTier" : "cacheDetails")
                        + " is neither an object nor a list");
            }
        } else if (key != ConverseKeys.NONE) {
            if (b >= '0' && b <= '9') {
                countSlot = key;
                count = 0;
                countDigits = 0;
                return inCount(bytes, i, end);
            }
            if (b != 'n') {
                throw new MalformedUsage("usage field " + reading.name(key) + " is not a non-negative integer");
            }
        } else if (b == '"') {
            return inString(bytes, i + 1, end);
        } else if (b == '{' || b == '[') {
            depth++;
            return inNested(bytes, i + 1, end);
        } else if (b == ',' || b == '}' || b == ']' || b == ':') {
            throw unexpected(b, "a value");
        }
        return inLiteral(bytes, i + 1, end);
    }

    private int inCount(byte[] bytes, int i, int end) {
        long value = count;
        int digits = countDigits;
        for (; i < end && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
            if (++digits > MAX_COUNT_DIGITS) {
                throw new MalformedUsage("usage field " + reading.name(countSlot) + " is too large");
            }
            value = value * 10 + (bytes[i] - '0');
        }
        if (i == end) {
            count = value;
            countDigits = digits;
            step = IN_COUNT;
            return end;
        }
        byte b = bytes[i];
        if (b == '.' || b == 'e' || b == 'E') {
            throw new MalformedUsage("usage field " + reading.name(countSlot) + " is not an integer");
        }
        reading.put(countSlot, value);
        return afterValue(bytes, i, end);
    }

    private int inString(byte[] bytes, int i, int end) {
        i = stringEnd(bytes, i, end, false);
        if (i == end) {
            step = IN_STRING;
            return end;
        }
        return afterValue(bytes, i + 1, end);
    }

    /**
     * Runs through an object or array below the followed one, following only strings and nesting. The bulk of a
     * response is here, so it is one tight loop rather than a step per byte.
     */
    private int inNested(byte[] bytes, int i, int end) {
        int from = i;
        if (inString) {
            i = stringEnd(bytes, i, end, false);
            if (i == end) {
                return nestedContinues(bytes, from, end);
            }
            inString = false;
            i++;
        }
        int followed = reading == null ? TOP_LEVEL : IN_USAGE;
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b == '"') {
                i = stringEnd(bytes, i + 1, end, false);
                if (i == end) {
                    inString = true;
                    break;
                }
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == followed) {
                if (keeping != ConverseKeys.NONE) {
                    keep(bytes, from, i + 1);
                    readKept();
                }
                return afterValue(bytes, i + 1, end);
            }
        }
        return nestedContinues(bytes, from, end);
    }

    /** The chunk ended inside a nested value: the next one resumes there (and a kept value keeps these bytes). */
    private int nestedContinues(byte[] bytes, int from, int end) {
        if (keeping != ConverseKeys.NONE) {
            keep(bytes, from, end);
        }
        step = IN_NESTED;
        return end;
    }

    private void keep(byte[] bytes, int from, int to) {
        int length = to - from;
        if (keptLength + length > MAX_KEPT_BYTES) {
            throw new MalformedUsage("serviceTier or cacheDetails is over " + MAX_KEPT_BYTES + " bytes");
        }
        if (kept == null || kept.length < keptLength + length) {
            kept = Arrays.copyOf(kept == null ? new byte[64] : kept,
                    Math.min(MAX_KEPT_BYTES, Math.max(2 * (keptLength + length), 64)));
        }
        System.arraycopy(bytes, from, kept, keptLength, length);
        keptLength += length;
    }

    /** A kept value is whole: the served tier, or the cache writes by TTL into the usage being read. */
    private void readKept() {
        int key = keeping;
        keeping = ConverseKeys.NONE;
        if (key == ConverseKeys.SERVICE_TIER) {
            for (int i = 0; i < TIERS_AS_SENT.length; i++) { // as Bedrock writes it: no parser for every response
                if (Arrays.equals(kept, 0, keptLength, TIERS_AS_SENT[i], 0, TIERS_AS_SENT[i].length)) {
                    servedTier = Optional.of(BedrockHeaders.SERVICE_TIERS.get(i));
                    return;
                }
            }
        }
        try (JsonParser parser = JSON.createParser(kept, 0, keptLength)) {
            parser.nextToken();
            if (key == ConverseKeys.SERVICE_TIER) {
                servedTier = Optional.of(ServedTier.readConverse(parser));
            } else {
                reading.put(CacheDetails.readConverse(parser));
            }
        } catch (IOException e) {
            throw new MalformedUsage((key == ConverseKeys.SERVICE_TIER ? "serviceTier" : "cacheDetails")
                    + " is not valid JSON");
        }
    }

    /** A number or literal that is passed over, up to the byte after it. */
    private int inLiteral(byte[] bytes, int i, int end) {
        while (i < end && !endsLiteral(bytes[i])) {
            i++;
        }
        if (i == end) {
            step = IN_LITERAL;
            return end;
        }
        return afterValue(bytes, i, end);
    }

    private int afterValue(byte[] bytes, int i, int end) {
        i = skipSpace(bytes, i, end, AFTER_VALUE);
        if (i == end) {
            return end;
        }
        byte b = bytes[i];
        if (b == ',') {
            step = KEY;
            return i + 1;
        }
        if (b == '}') {
            return closeObject(i);
        }
        throw unexpected(b, "a comma or a closing brace");
    }

    /** The followed object closes at {@code i}: the usage object's counts are found, or the document ends. */
    private int closeObject(int i) {
        depth--;
        if (reading != null) {
            found = Optional.of(reading.toUsage());
            reading = null;
            step = AFTER_VALUE;
        } else {
            step = AFTER_DOCUMENT;
        }
        return i + 1;
    }

    private int afterDocument(byte[] bytes, int i, int end) {
        i = skipSpace(bytes, i, end, AFTER_DOCUMENT);
        if (i < end) {
            throw new MalformedUsage("more JSON after the end of the document");
        }
        return end;
    }

    private static MalformedUsage unexpected(byte b, String expected) {
        return new MalformedUsage("'" + (char) b + "' where " + expected + " should be");
    }

    /** The first byte from {@code i} that is not white space; at the chunk's end, {@code resumeAt} is the step. */
    private int skipSpace(byte[] bytes, int i, int end, int resumeAt) {
        while (i < end && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
            i++;
        }
        if (i == end) {
            step = resumeAt;
        }
        return i;
    }

    /** White space or structure: the end of a number or literal. */
    private static boolean endsLiteral(byte b) {
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ':'
                || b == '"' || b == '{' || b == '[';
    }

    /**
     * From inside a string: the index of its closing quote, or {@code end} when the chunk ends first (with
     * {@link #escaped} set if it ended on a backslash). A key's bytes are kept as they pass.
     */
    private int stringEnd(byte[] bytes, int i, int end, boolean key) {
        if (escaped) { // the previous chunk ended on a backslash
            escaped = false;
            i++;
        }
        while (i < end) {
            int stop = quoteOrEscape(bytes, i, end);
            if (key) {
                keyPart(bytes, i, stop);
            }
            if (stop == end || bytes[stop] == '"') {
                return stop;
            }
            keyLength = -1; // an escaped key is none of ours
            if (stop + 1 == end) { // the escaped byte is in the next chunk
                escaped = true;
                return end;
            }
            i = stop + 2;
        }
        return end;
    }

    /**
     * The index of the first quote or backslash from {@code i}, or {@code end}: the bytes a string's contents end
     * or escape at, looked for eight at a time (a zero-byte test on the word XORed with each; the lowest byte it
     * flags is always a true match).
     */
    static int quoteOrEscape(byte[] bytes, int i, int end) {
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            long quotes = word ^ ALL_QUOTES;
            long backslashes = word ^ ALL_BACKSLASHES;
            long found = ((quotes - ALL_ONES) & ~quotes | (backslashes - ALL_ONES) & ~backslashes) & ALL_HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '"' || bytes[i] == '\\') {
                return i;
            }
        }
        return end;
    }

    /** Bytes {@code from}..{@code to} of a key without escapes: kept unless it is already none of ours. */
    private void keyPart(byte[] bytes, int from, int to) {
        if (keyLength < 0) {
            return;
        }
        int length = to - from;
        if (keyLength + length > MAX_KEY_BYTES) {
            keyLength = -1;
            return;
        }
        System.arraycopy(bytes, from, keyBytes, keyLength, length);
        keyLength += length;
    }

    /** The key just read, if it is one whose value matters: the usage key at the top, a count in usage. */
    private int keyRead() {
        if (reading == null) {
            return ConverseKeys.topLevelKey(keyBytes, keyLength);
        }
        return ConverseKeys.countSlot(keyBytes, keyLength);
    }
}
