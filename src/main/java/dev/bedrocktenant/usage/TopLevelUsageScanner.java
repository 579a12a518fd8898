package dev.bedrocktenant.usage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;

/**
 * Finds one key of the top-level JSON object (Converse's {@code usage}) in a document fed in pieces of any
 * size, and reads its counts. The same key deeper down (a tool result or a guardrail trace mentioning
 * {@code usage}) is not taken.
 *
 * <p>Written by hand, not with Jackson's non-blocking parser token by token (as before): that decodes every
 * string and number of the response, the whole generated text included, to find one key near the end, and
 * was the largest single cost of metering a Converse call; even handing Jackson just the usage object cost
 * more than the scan. This follows only the structure (strings and their escapes, nesting): byte by byte at the
 * top level and in the usage object, whose integer members it reads as they pass, and in tight loops through
 * nested values and string contents, which are most of the bytes. Nothing else of the document is validated
 * beyond its nesting, and a key spelled with escapes ({@code "us\u0061ge"}) is not recognised: Bedrock sends
 * neither.
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
    private static final int THE_USAGE = 4;
    private static final int TOP_LEVEL = 1;
    private static final int IN_USAGE = 2;
    // for quoteOrEscape: eight bytes of a chunk read as one long, and each byte value it looks for, repeated
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ALL_ONES = 0x0101010101010101L;
    private static final long ALL_HIGH_BITS = ALL_ONES << 7;
    private static final long ALL_QUOTES = ALL_ONES * '"';
    private static final long ALL_BACKSLASHES = ALL_ONES * '\\';

    /** Objects and arrays open after the bytes read so far. */
    private int depth;
    private boolean started;
    private boolean inString;
    private boolean escaped;
    /** In the object being followed (top level or usage), the next string is a key (after '{' or ','). */
    private boolean expectKey;
    /** A comma was the last byte of structure: another one, or a closing bracket, is malformed. */
    private boolean afterComma;
    private boolean inKey;
    private final byte[] keyBytes = new byte[MAX_KEY_BYTES];
    /** Bytes of the key read so far; -1 once it is escaped or too long to be of interest. */
    private int keyLength;
    /** The key just read, whose value has not started yet: {@link #THE_USAGE} at the top level, a count's slot in
     * usage, or {@link ConverseKeys#NONE}. */
    private int valueOf = ConverseKeys.NONE;
    /** The counts of the usage object while it is being read; null otherwise. */
    private TokenCounts reading;
    /** The count being read, digit by digit; -1 when none. */
    private long count = -1;
    private int countDigits;
    private int countSlot;
    private Optional<TokenUsage> found = Optional.empty();

    TopLevelUsageScanner() {
    }

    /** @throws MalformedUsage on JSON that is not one object, or a usage that is not counts */
    void feed(byte[] bytes, int offset, int length) throws MalformedUsage {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (inString) {
                if (!escaped) { // run to the string's next quote or escape, keeping the run when it is a key
                    int stop = quoteOrEscape(bytes, i, end);
                    keyPart(bytes, i, stop);
                    if (stop == end) {
                        return;
                    }
                    i = stop;
                    b = bytes[i];
                }
                inStringByte(b);
            } else if (depth > followedDepth()) {
                i = skipNested(bytes, i, end);
            } else if (count >= 0 && b >= '0' && b <= '9') {
                countDigit(b);
            } else {
                structureByte(b);
                if (reading != null && b == '{' && depth == IN_USAGE) { // the usage object opened
                    int closed = readFlatUsage(bytes, i + 1, end);
                    if (closed >= 0) {
                        i = closed;
                    }
                }
            }
        }
    }

    /**
     * The usage object in one tight loop, from just after its opening brace: the usual case of a flat object of
     * counts that this chunk holds whole. Byte by byte, its hundred bytes were most of the scan's cost under load.
     * Returns the index of its closing brace once its counts are taken, or -1 at anything else (a value not a
     * whole number or null, an escape, a nested value, the chunk's end, malformed JSON): the byte-by-byte path
     * then reads the object from its start, and reports what is wrong with it, as before. Counts put before
     * giving up are put again, in the same order, by that path.
     */
    private int readFlatUsage(byte[] bytes, int i, int end) {
        i = skipSpace(bytes, i, end);
        if (i < end && bytes[i] == '}') {
            return closeUsage(i);
        }
        while (i < end && bytes[i] == '"') {
            int keyEnd = quoteOrEscape(bytes, i + 1, end);
            if (keyEnd >= end || bytes[keyEnd] != '"') {
                return -1;
            }
            int keyBytesRead = keyEnd - i - 1;
            int slot = ConverseKeys.NONE;
            if (keyBytesRead <= MAX_KEY_BYTES) {
                System.arraycopy(bytes, i + 1, keyBytes, 0, keyBytesRead);
                slot = ConverseKeys.countSlot(keyBytes, keyBytesRead);
            }
            i = skipSpace(bytes, keyEnd + 1, end);
            if (i >= end || bytes[i] != ':') {
                return -1;
            }
            i = skipSpace(bytes, i + 1, end);
            if (i + 4 <= end && bytes[i] == 'n' && bytes[i + 1] == 'u' && bytes[i + 2] == 'l' && bytes[i + 3] == 'l') {
                i += 4; // not reported
            } else {
                int digitsEnd = i;
                long value = 0;
                while (digitsEnd < end && bytes[digitsEnd] >= '0' && bytes[digitsEnd] <= '9') {
                    value = value * 10 + (bytes[digitsEnd++] - '0');
                }
                int digits = digitsEnd - i;
                if (digits == 0 || digits > MAX_COUNT_DIGITS || digitsEnd >= end || continuesNumber(bytes[digitsEnd])) {
                    return -1;
                }
                if (slot != ConverseKeys.NONE) {
                    reading.put(slot, value);
                }
                i = digitsEnd;
            }
            i = skipSpace(bytes, i, end);
            if (i < end && bytes[i] == '}') {
                expectKey = false; // as the byte path leaves it after a member (its opening brace set it)
                return closeUsage(i);
            }
            if (i >= end || bytes[i] != ',') {
                return -1;
            }
            i = skipSpace(bytes, i + 1, end);
        }
        return -1;
    }

    /** The usage object's closing brace at {@code i}, read by {@link #readFlatUsage}: as the byte path ends it. */
    private int closeUsage(int i) {
        depth--;
        usageRead();
        return i;
    }

    /** The usage object is closed: its counts are the usage found. */
    private void usageRead() {
        found = Optional.of(reading.toUsage());
        reading = null;
    }

    private static int skipSpace(byte[] bytes, int i, int end) {
        while (i < end && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The document is complete: anything left open is malformed. */
    void endOfInput() throws MalformedUsage {
        if (depth != 0 || inString || !started) {
            throw new MalformedUsage("JSON ended inside a value");
        }
    }

    /** The usage object once it has been read whole. */
    Optional<TokenUsage> usage() {
        return found;
    }

    private void structureByte(byte b) throws MalformedUsage {
        if (count >= 0) {
            countEnds(b);
        }
        if (b == ',' || b == '}' || b == ']') {
            if (afterComma) {
                throw new MalformedUsage("a comma before " + (char) b);
            }
        } else if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
            afterComma = false;
        }
        switch (b) {
            case ' ', '\t', '\n', '\r', ':' -> { }
            case '"' -> {
                valueStarts(b);
                inString = true;
                inKey = expectKey && following();
                keyLength = 0;
                expectKey = false;
            }
            case '{', '[' -> {
                if (depth == 0 && started) {
                    throw new MalformedUsage("more JSON after the end of the document");
                }
                boolean usageStarts = depth == TOP_LEVEL && reading == null && valueOf != ConverseKeys.NONE;
                if (started) {
                    valueStarts(b);
                }
                depth++;
                started = true;
                if (usageStarts) {
                    reading = new TokenCounts(TokenFieldNames.CONVERSE);
                }
                expectKey = b == '{' && following();
            }
            case '}', ']' -> {
                if (--depth < 0) {
                    throw new MalformedUsage("a closing bracket without an opening one");
                }
                if (reading != null && depth == TOP_LEVEL) {
                    usageRead();
                }
            }
            case ',' -> {
                afterComma = true;
                expectKey = following();
            }
            default -> valueStarts(b);
        }
    }

    /**
     * Runs through a value nested below the followed depth (the output, the metrics), from {@code i}, its first
     * byte not in a string, following only strings and nesting; returns the index of the last byte taken: the
     * bracket that closes it, or the chunk's last byte. The bulk of a response is here, so it is one tight loop
     * rather than a call per byte.
     */
    private int skipNested(byte[] bytes, int i, int end) {
        int followed = followedDepth();
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b == '"') {
                i = closingQuote(bytes, i + 1, end);
                if (i == end) {
                    return end - 1;
                }
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == followed) {
                afterComma = false;
                return i;
            }
        }
        return end - 1;
    }

    /**
     * From inside a string: the index of its closing quote, or {@code end} when the chunk ends first (the
     * string is then left open for the next chunk, with an escape if the chunk ended on a backslash).
     */
    private int closingQuote(byte[] bytes, int i, int end) {
        while ((i = quoteOrEscape(bytes, i, end)) < end) {
            if (bytes[i] == '"') {
                return i;
            }
            if (i + 1 == end) { // the escaped byte is in the next chunk
                escaped = true;
                break;
            }
            i += 2;
        }
        inString = true;
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

    /** The deepest level whose structure matters: the top level, or the usage object's own members. */
    private int followedDepth() {
        return reading == null ? TOP_LEVEL : IN_USAGE;
    }

    /** At the depth whose keys matter: the top level, or the usage object's own members. */
    private boolean following() {
        return depth == TOP_LEVEL || depth == IN_USAGE && reading != null;
    }

    private void inStringByte(byte b) {
        if (escaped) {
            escaped = false;
        } else if (b == '\\') {
            escaped = true;
            keyLength = -1; // an escaped key is none of ours
        } else { // the closing quote
            inString = false;
            if (inKey) {
                inKey = false;
                valueOf = keyLength < 0 ? ConverseKeys.NONE : keyRead();
            }
        }
    }

    /** Bytes {@code from}..{@code to} of a string without escapes: kept when they are part of a key that matters. */
    private void keyPart(byte[] bytes, int from, int to) {
        if (!inKey || keyLength < 0) {
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
            return ConverseKeys.isUsage(keyBytes, keyLength) ? THE_USAGE : ConverseKeys.NONE;
        }
        return ConverseKeys.countSlot(keyBytes, keyLength);
    }

    /**
     * A value starts. Outside any object it is not a document. As the usage it must be an object (or null);
     * as a count, a non-negative integer (or null).
     */
    private void valueStarts(byte b) throws MalformedUsage {
        if (depth == 0) {
            throw new MalformedUsage("not a JSON object");
        }
        int key = valueOf;
        valueOf = ConverseKeys.NONE;
        if (key == ConverseKeys.NONE) {
            return;
        }
        if (reading == null) {
            if (b != '{' && b != 'n') { // null: no usage reported
                throw new MalformedUsage(USAGE + (b == '[' ? " is an array" : " is not an object"));
            }
        } else if (b >= '0' && b <= '9') {
            countSlot = key;
            count = b - '0';
            countDigits = 1;
        } else if (b != 'n') {
            throw new MalformedUsage("usage field " + reading.name(key) + " is not a non-negative integer");
        }
    }

    private void countDigit(byte b) throws MalformedUsage {
        if (++countDigits > MAX_COUNT_DIGITS) {
            throw new MalformedUsage("usage field " + reading.name(countSlot) + " is too large");
        }
        count = count * 10 + (b - '0');
    }

    /** The byte after a count's digits: it ends the number, unless it makes it a fraction or an exponent. */
    private void countEnds(byte b) throws MalformedUsage {
        if (continuesNumber(b)) {
            throw new MalformedUsage("usage field " + reading.name(countSlot) + " is not an integer");
        }
        reading.put(countSlot, count);
        count = -1;
    }

    /** A byte after digits that makes them a fraction or an exponent: no count. */
    private static boolean continuesNumber(byte b) {
        return b == '.' || b == 'e' || b == 'E';
    }
}
