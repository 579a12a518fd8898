package dev.bedrocktenant.attribution;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.bedrocktenant.wire.ProxyRefusal;

/** Request metadata as JSON: an object of strings, in the Converse body and in InvokeModel's header alike. */
final class MetadataJson {

    private MetadataJson() {
    }

    /**
     * Reads the object the parser stands on (its START_OBJECT just read); leaves the parser on its END_OBJECT.
     *
     * @param where how the refusal names it ("requestMetadata", "X-Amzn-Bedrock-Request-Metadata")
     */
    static Map<String, String> read(JsonParser parser, String where) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw ProxyRefusal.validation(where + " must be a JSON object of strings");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw ProxyRefusal.validation(where + " value of key '" + key + "' must be a string");
            }
            if (entries.put(key, parser.getText()) != null) {
                // which one would Bedrock take? Neither is sent.
                throw ProxyRefusal.validation(where + " names key '" + key + "' twice");
            }
        }
        return entries;
    }

    static String write(Map<String, String> entries) {
        StringBuilder json = new StringBuilder(32 * (entries.size() + 1)).append('{');
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        entries.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"');
            encoder.quoteAsString(key, json);
            json.append("\":\"");
            encoder.quoteAsString(value, json);
            json.append('"');
        });
        return json.append('}').toString();
    }
}
