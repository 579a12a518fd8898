package dev.bedrocktenant.usage;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;

/**
 * Anthropic's split of cache writes by TTL in its own format, {@code usage.cache_creation}
 * ({@code {"ephemeral_5m_input_tokens":N,"ephemeral_1h_input_tokens":M}}): in an InvokeModel body, and in the
 * {@code message} of a streamed {@code message_start} event. Bedrock reports only the total of cache writes in its
 * headers and invocation metrics, so this is where an InvokeModel call's one-hour writes are found. Fed in pieces of
 * any size (Jackson's non-blocking parser), so a body is never held; callers feed it only when there were cache
 * writes to split, as the rest of the body costs a full parse.
 */
final class AnthropicCacheCreation {

    /** Where it is in an InvokeModel body (a Messages API response). */
    static final String[] IN_BODY = {"usage", "cache_creation"};
    /** Where it is in a {@code message_start} event. */
    static final String[] IN_MESSAGE_START = {"message", "usage", "cache_creation"};

    private final String[] path;
    private final JsonParser parser;
    /** Objects and arrays open. */
    private int depth;
    /** Keys of the path matched by the open objects: those at depths 2 … matched + 1 are path[0 … matched - 1]. */
    private int matched;
    private long fiveMinutes;
    private long oneHour;
    private Optional<CacheDetails> found = Optional.empty();

    AnthropicCacheCreation(String[] path) {
        this.path = path;
        try {
            this.parser = TopLevelUsageScanner.JSON.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson cannot make a non-blocking parser", e);
        }
    }

    /** The split, once the object has been read whole. */
    Optional<CacheDetails> found() {
        return found;
    }

    /** @throws IOException on JSON that is not well formed; {@link MalformedUsage} on a count that is not one */
    void feed(byte[] bytes, int offset, int length) throws IOException {
        if (found.isPresent()) {
            return;
        }
        ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(bytes, offset, offset + length);
        for (JsonToken token = parser.nextToken(); token != null && token != JsonToken.NOT_AVAILABLE;
                token = parser.nextToken()) {
            switch (token) {
                case START_OBJECT -> {
                    depth++;
                    // the object a path key names, directly inside the last one matched (currentName: its key)
                    if (depth == matched + 2 && matched < path.length && path[matched].equals(parser.currentName())) {
                        matched++;
                    }
                }
                case START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> {
                    if (token == JsonToken.END_OBJECT && matched > 0 && depth == matched + 1) {
                        if (matched == path.length) {
                            found = Optional.of(new CacheDetails(fiveMinutes, oneHour));
                            return;
                        }
                        matched--;
                    }
                    depth--;
                }
                case VALUE_NUMBER_INT, VALUE_NULL, VALUE_STRING, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                    if (matched == path.length && depth == matched + 1) {
                        count(parser.currentName(), token);
                    }
                }
                default -> {
                    // field names: currentName() gives them with their value
                }
            }
        }
    }

    private void count(String field, JsonToken value) throws IOException {
        if ("ephemeral_1h_input_tokens".equals(field)) {
            oneHour = CacheDetails.count(field, value, parser);
        } else if ("ephemeral_5m_input_tokens".equals(field)) {
            fiveMinutes = CacheDetails.count(field, value, parser);
        }
    }
}
