package dev.bedrocktenant.usage;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;

/**
 * Finds one key of the top-level JSON object (Converse's {@code usage}) in a document fed in pieces
 * of any size, with Jackson's non-blocking parser: token by token, keeping nothing but the depth.
 * The same key deeper down (a tool result or a guardrail trace mentioning {@code usage}) is not
 * taken. Jackson holds at most the one token it is in the middle of, never the document.
 */
final class TopLevelUsageScanner {

    /** Field names are not interned or cached: a response's keys are arbitrary (tool input documents). */
    static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private static final int TOP_LEVEL = 1;
    private static final int IN_USAGE = 2;

    private final String usageKey;
    private final TokenFieldNames names;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    /** Objects and arrays open after the current token. */
    private int depth;
    private boolean nextIsUsage;
    private TokenCounts reading;
    private String field;
    private Optional<TokenUsage> found = Optional.empty();

    TopLevelUsageScanner(String usageKey, TokenFieldNames names) {
        this.usageKey = usageKey;
        this.names = names;
        try {
            this.parser = JSON.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** @throws IOException on malformed JSON; {@link MalformedUsage} on a usage that is not counts */
    void feed(byte[] bytes, int offset, int length) throws IOException {
        feeder.feedInput(bytes, offset, offset + length);
        drain();
    }

    /** The document is complete: anything left open is malformed. */
    void endOfInput() throws IOException {
        feeder.endOfInput();
        drain();
        if (depth != 0) {
            throw new MalformedUsage("JSON ended inside a value");
        }
    }

    /** The usage object once it has been read whole. */
    Optional<TokenUsage> usage() {
        return found;
    }

    private void drain() throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
            if (reading != null && depth == IN_USAGE) {
                inUsage(token);
            } else {
                elsewhere(token);
            }
        }
    }

    private void inUsage(JsonToken token) throws IOException {
        switch (token) {
            case FIELD_NAME -> field = parser.currentName();
            case END_OBJECT -> {
                depth--;
                found = Optional.of(reading.toUsage());
                reading = null;
            }
            case START_OBJECT, START_ARRAY -> {
                // cacheDetails and future members are structured; a count never is
                reading.read(field, token, parser);
                depth++;
            }
            default -> reading.read(field, token, parser);
        }
    }

    private void elsewhere(JsonToken token) throws IOException {
        boolean usageValue = nextIsUsage;
        nextIsUsage = false;
        switch (token) {
            case START_OBJECT, START_ARRAY -> {
                depth++;
                if (usageValue) {
                    if (token != JsonToken.START_OBJECT) {
                        throw new MalformedUsage(usageKey + " is an array");
                    }
                    reading = new TokenCounts(names);
                }
            }
            case END_OBJECT, END_ARRAY -> depth--;
            case FIELD_NAME -> nextIsUsage = depth == TOP_LEVEL && usageKey.equals(parser.currentName());
            default -> {
                if (usageValue && token != JsonToken.VALUE_NULL) {
                    throw new MalformedUsage(usageKey + " is " + token + ", not an object");
                }
            }
        }
    }
}
