package dev.bedrocktenant.usage;

import java.io.IOException;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The counts of one usage object being read, field by field. A count the object does not carry
 * stays empty (not reported), never 0; a count that is there but not a non-negative integer makes
 * the whole response unreadable rather than being guessed at.
 */
final class TokenCounts {

    // slots, for readers that tell a count by its bytes (ConverseKeys) rather than by a String
    static final int INPUT = 0;
    static final int OUTPUT = 1;
    static final int CACHE_READ = 2;
    static final int CACHE_WRITE = 3;

    private final TokenFieldNames names;
    private OptionalLong input = OptionalLong.empty();
    private OptionalLong output = OptionalLong.empty();
    private OptionalLong cacheRead = OptionalLong.empty();
    private OptionalLong cacheWrite = OptionalLong.empty();
    private CacheDetails cacheDetails;

    TokenCounts(TokenFieldNames names) {
        this.names = names;
    }

    /**
     * Takes the value the parser is on, if {@code field} is a count; other fields are ignored (the
     * caller skips them).
     *
     * @throws MalformedUsage when a count is not a non-negative integer
     */
    void read(String field, JsonToken value, JsonParser parser) throws IOException {
        if (!names.counts(field) || value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedUsage("usage field " + field + " is " + value + ", not an integer");
        }
        long count = parser.getLongValue();
        if (count < 0) {
            throw new MalformedUsage("usage field " + field + " is negative");
        }
        put(field, count);
    }

    void put(String field, long count) {
        if (field.equals(names.input())) {
            put(INPUT, count);
        } else if (field.equals(names.output())) {
            put(OUTPUT, count);
        } else if (field.equals(names.cacheRead())) {
            put(CACHE_READ, count);
        } else if (field.equals(names.cacheWrite())) {
            put(CACHE_WRITE, count);
        }
    }

    void put(int slot, long count) {
        OptionalLong value = OptionalLong.of(count);
        switch (slot) {
            case INPUT -> input = value;
            case OUTPUT -> output = value;
            case CACHE_READ -> cacheRead = value;
            case CACHE_WRITE -> cacheWrite = value;
            default -> throw new IllegalArgumentException("no count slot " + slot);
        }
    }

    /** The name of a slot's count, for messages. */
    String name(int slot) {
        return switch (slot) {
            case INPUT -> names.input();
            case OUTPUT -> names.output();
            case CACHE_READ -> names.cacheRead();
            case CACHE_WRITE -> names.cacheWrite();
            default -> throw new IllegalArgumentException("no count slot " + slot);
        };
    }

    /** The cache writes split by TTL, where the usage object splits them. */
    void put(CacheDetails details) {
        cacheDetails = details;
    }

    TokenUsage toUsage() {
        TokenUsage usage = new TokenUsage(input, output, cacheRead, cacheWrite);
        return cacheDetails == null ? usage : usage.split(cacheDetails);
    }
}
