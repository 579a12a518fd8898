package dev.bedrocktenant.usage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Finds one key of the top-level JSON object (Converse's {@code usage}) in a document fed in pieces of any
 * size, and reads its counts. The same key deeper down (a tool result or a guardrail trace mentioning
 * {@code usage}) is not taken.
 *
 * <p>Written by hand, not with Jackson's non-blocking parser token by token (as before): that decodes every
 * string and number of the response, the whole generated text included, to find one key near the end, and
 * was the largest single cost of metering a Converse call. This follows only the structure, byte by byte
 * (strings and their escapes, nesting), keeps the bytes of the top-level usage value, and hands just those to
 * Jackson. The rest of the document is not validated beyond its nesting: a key spelled with escapes
 * ({@code "us\u0061ge"}) is not recognised, which Bedrock never sends.
 */
final class TopLevelUsageScanner {

    /**
     * For the small JSON documents that carry counts (a usage object, a stream chunk). Field names are
     * canonicalised (Jackson's byte parser needs it; without it Jackson decodes through a Reader, several
     * times slower) but not interned; Jackson bounds its name table and rejects hash flooding.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    /** A usage object is a handful of counts; one larger than this is not one. */
    static final int MAX_USAGE_BYTES = 64 * 1024;

    private final String usageKey;
    private final byte[] key;
    private final TokenFieldNames names;
    /** Objects and arrays open after the bytes read so far. */
    private int depth;
    private boolean started;
    private boolean inString;
    private boolean escaped;
    /** At the top level, the next string is a key (after '{' or ','). */
    private boolean expectKey;
    private boolean inKey;
    /** Bytes of the key matched so far; -1 once it differs. */
    private int keyMatched;
    /** The top-level key just read is the usage key and its value has not started. */
    private boolean usageValueNext;
    /** The bytes of the usage object while it is being read; null otherwise. */
    private ByteArrayOutputStream usageBytes;
    private Optional<TokenUsage> found = Optional.empty();

    TopLevelUsageScanner(String usageKey, TokenFieldNames names) {
        this.usageKey = usageKey;
        this.key = usageKey.getBytes(StandardCharsets.UTF_8);
        this.names = names;
    }

    /** @throws IOException on JSON that is not one object; {@link MalformedUsage} on a usage that is not counts */
    void feed(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int captureFrom = usageBytes == null ? -1 : offset;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (inString) {
                inStringByte(b);
                continue;
            }
            switch (b) {
                case ' ', '\t', '\n', '\r' -> { }
                case '"' -> {
                    valueStarts(b);
                    inString = true;
                    inKey = depth == 1 && expectKey;
                    keyMatched = 0;
                    expectKey = false;
                }
                case '{', '[' -> {
                    if (depth == 0 && started) {
                        throw new MalformedUsage("more JSON after the end of the document");
                    }
                    if (usageValueNext && depth == 1) {
                        usageValueNext = false;
                        if (b == '[') {
                            throw new MalformedUsage(usageKey + " is an array");
                        }
                        usageBytes = new ByteArrayOutputStream(128);
                        captureFrom = i;
                    }
                    depth++;
                    started = true;
                    expectKey = depth == 1;
                }
                case '}', ']' -> {
                    if (--depth < 0) {
                        throw new MalformedUsage("a closing bracket without an opening one");
                    }
                    if (usageBytes != null && depth == 1) {
                        usageBytes.write(bytes, captureFrom, i + 1 - captureFrom);
                        read(usageBytes.toByteArray());
                        usageBytes = null;
                        captureFrom = -1;
                    }
                }
                case ':' -> { }
                case ',' -> expectKey = depth == 1;
                default -> valueStarts(b);
            }
        }
        if (usageBytes != null) {
            usageBytes.write(bytes, captureFrom, end - captureFrom);
            if (usageBytes.size() > MAX_USAGE_BYTES) {
                throw new MalformedUsage(usageKey + " larger than " + MAX_USAGE_BYTES + " bytes");
            }
        }
    }

    /** The document is complete: anything left open is malformed. */
    void endOfInput() throws IOException {
        if (depth != 0 || inString || !started) {
            throw new MalformedUsage("JSON ended inside a value");
        }
    }

    /** The usage object once it has been read whole. */
    Optional<TokenUsage> usage() {
        return found;
    }

    private void inStringByte(byte b) {
        if (escaped) {
            escaped = false;
            keyMatched = -1; // an escaped character: not the plain key
        } else if (b == '\\') {
            escaped = true;
        } else if (b == '"') {
            inString = false;
            if (inKey) {
                inKey = false;
                usageValueNext = keyMatched == key.length;
            }
        } else if (inKey && keyMatched >= 0) {
            keyMatched = keyMatched < key.length && key[keyMatched] == b ? keyMatched + 1 : -1;
        }
    }

    /** A scalar (or a string) starts: outside any object it is not a document; as the usage, not an object. */
    private void valueStarts(byte b) throws MalformedUsage {
        if (depth == 0) {
            throw new MalformedUsage("not a JSON object");
        }
        if (usageValueNext && depth == 1) {
            usageValueNext = false;
            if (b != 'n') { // null: no usage reported
                throw new MalformedUsage(usageKey + " is not an object");
            }
        }
    }

    /** The counts of one whole usage object; members other than counts (structured or not) are skipped. */
    private void read(byte[] usage) throws IOException {
        TokenCounts counts = new TokenCounts(names);
        try (JsonParser parser = JSON.createParser(usage)) {
            parser.nextToken(); // START_OBJECT
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                counts.read(field, value, parser);
                parser.skipChildren();
            }
        }
        found = Optional.of(counts.toUsage());
    }
}
