package dev.bedrocktenant.attribution;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.buffer.Buffer;

/**
 * The two top-level members of a Converse / ConverseStream body the proxy sets, {@code requestMetadata} and
 * {@code serviceTier}: where they are, and the body with new values spliced in. Only those bytes change (a
 * member absent is inserted just after the opening brace), so the rest reaches Bedrock exactly as the
 * application wrote it; Jackson's streaming parser finds them without building a tree of the prompt.
 *
 * @param metadata     what the application sent as requestMetadata (empty map when none)
 * @param metadataSpan where its value is, when present
 * @param tier         the serviceTier type the application asked for
 * @param tierSpan     where serviceTier's value is, when present
 * @param firstMember  offset just past the body's opening brace
 * @param empty        the body object has no member at all
 */
record ConverseBody(Map<String, String> metadata, Optional<Span> metadataSpan, Optional<String> tier,
                    Optional<Span> tierSpan, int firstMember, boolean empty) {

    private static final JsonFactory JSON = new JsonFactory();
    static final String METADATA = "requestMetadata";
    static final String SERVICE_TIER = "serviceTier";

    /** A member's value: bytes [start, end). */
    record Span(int start, int end) {
    }

    /** @throws ProxyRefusal ValidationException for a body that is not a JSON object, or malformed members */
    static ConverseBody read(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ProxyRefusal.validation("Converse request body must be a JSON object");
            }
            int firstMember = (int) parser.currentLocation().getByteOffset();
            Map<String, String> metadata = Map.of();
            Optional<Span> metadataSpan = Optional.empty();
            Optional<String> tier = Optional.empty();
            Optional<Span> tierSpan = Optional.empty();
            boolean empty = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                empty = false;
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                int start = (int) parser.currentTokenLocation().getByteOffset();
                if (name.equals(METADATA)) {
                    once(metadataSpan, name);
                    metadata = value == JsonToken.VALUE_NULL ? Map.of() : MetadataJson.read(parser, name);
                    metadataSpan = Optional.of(new Span(start, end(parser)));
                } else if (name.equals(SERVICE_TIER)) {
                    once(tierSpan, name);
                    tier = value == JsonToken.VALUE_NULL ? Optional.empty() : Optional.of(tierType(parser));
                    tierSpan = Optional.of(new Span(start, end(parser)));
                } else {
                    parser.skipChildren();
                }
            }
            return new ConverseBody(metadata, metadataSpan, tier, tierSpan, firstMember, empty);
        } catch (JsonProcessingException e) {
            throw ProxyRefusal.validation("Converse request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProxyRefusal.validation("Converse request body could not be read");
        }
    }

    /**
     * The body with requestMetadata and serviceTier set to these JSON values (each, when present); the rest
     * byte for byte.
     */
    Buffer with(byte[] body, Optional<String> metadataJson, Optional<String> tierJson) {
        List<Edit> inPlace = new ArrayList<>(2);
        StringBuilder inserted = new StringBuilder();
        place(METADATA, metadataSpan, metadataJson, inPlace, inserted);
        place(SERVICE_TIER, tierSpan, tierJson, inPlace, inserted);
        if (inserted.length() > 0 && empty) {
            inserted.setLength(inserted.length() - 1); // no member follows: drop the last comma
        }
        inPlace.sort(Comparator.comparingInt(e -> e.span().start()));
        Buffer out = Buffer.buffer(body.length + inserted.length() + 256);
        out.appendBytes(body, 0, firstMember).appendString(inserted.toString(), "UTF-8");
        int at = firstMember;
        for (Edit edit : inPlace) {
            out.appendBytes(body, at, edit.span().start() - at).appendString(edit.json(), "UTF-8");
            at = edit.span().end();
        }
        return out.appendBytes(body, at, body.length - at);
    }

    private record Edit(Span span, String json) {
    }

    /** A member present gets its value replaced where it is; one absent is inserted first in the object. */
    private static void place(String name, Optional<Span> span, Optional<String> json, List<Edit> inPlace,
                              StringBuilder inserted) {
        if (json.isEmpty()) {
            return;
        }
        if (span.isPresent()) {
            inPlace.add(new Edit(span.get(), json.get()));
        } else {
            inserted.append('"').append(name).append("\":").append(json.get()).append(',');
        }
    }

    /** The ServiceTier structure's value: {@code {"type": "flex"}}. */
    static String tierJson(String tier) {
        return "{\"type\":\"" + tier + "\"}";
    }

    private static void once(Optional<Span> seen, String name) {
        if (seen.isPresent()) {
            // Bedrock might read the other one: the one the proxy did not stamp
            throw ProxyRefusal.validation("Converse request body names " + name + " twice");
        }
    }

    /** Offset just past the value the parser has read to its end (a null, or an object's END_OBJECT). */
    private static int end(JsonParser parser) {
        return (int) parser.currentLocation().getByteOffset();
    }

    private static String tierType(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw ProxyRefusal.validation("serviceTier must be an object such as {\"type\": \"flex\"}");
        }
        String type = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                type = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        if (type == null) {
            throw ProxyRefusal.validation("serviceTier must name its type, such as {\"type\": \"flex\"}");
        }
        return type;
    }
}
