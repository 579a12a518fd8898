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

    private final TokenFieldNames names;
    private OptionalLong input = OptionalLong.empty();
    private OptionalLong output = OptionalLong.empty();
    private OptionalLong cacheRead = OptionalLong.empty();
    private OptionalLong cacheWrite = OptionalLong.empty();

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
        OptionalLong value = OptionalLong.of(count);
        if (field.equals(names.input())) {
            input = value;
        } else if (field.equals(names.output())) {
            output = value;
        } else if (field.equals(names.cacheRead())) {
            cacheRead = value;
        } else if (field.equals(names.cacheWrite())) {
            cacheWrite = value;
        }
    }

    TokenUsage toUsage() {
        return new TokenUsage(input, output, cacheRead, cacheWrite);
    }
}
