package dev.bedrocktenant.usage;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The service tier Bedrock says it served a request in ({@code default}, {@code priority}, {@code flex},
 * {@code reserved}, as its service model lists them today): Converse's {@code serviceTier} object
 * ({@code {"type":"priority"}}, in the response or ConverseStream's metadata event) or InvokeModel's
 * {@code X-Amzn-Bedrock-Service-Tier} header. Kept as Bedrock spells it, so a tier added later is recorded as it
 * is; a value that is not a plain word is not taken (it would end up in the ledger and in a label).
 */
public final class ServedTier {

    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private ServedTier() {
    }

    /** The header's value; empty when it is not a plain word. */
    static Optional<String> fromHeader(String value) {
        String tier = value.trim();
        return PLAIN_WORD.matcher(tier).matches() ? Optional.of(tier) : Optional.empty();
    }

    /**
     * Converse's {@code ServiceTier} structure, the parser on its first token.
     *
     * @throws MalformedUsage when it is not an object whose {@code type} is a plain word
     */
    static String readConverse(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new MalformedUsage("serviceTier is not an object");
        }
        String type = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
                type = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        if (type == null || !PLAIN_WORD.matcher(type).matches()) {
            throw new MalformedUsage("serviceTier has no type that is a plain word");
        }
        return type;
    }
}
