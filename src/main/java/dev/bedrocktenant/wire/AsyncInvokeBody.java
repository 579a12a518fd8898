package dev.bedrocktenant.wire;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;

/**
 * StartAsyncInvoke names its model in the JSON body ({@code "modelId": "…"}). The proxy replaces
 * just that string's bytes, so everything else in the body reaches Bedrock exactly as the
 * application sent it (a re-serialisation could reorder keys or reformat numbers).
 */
public final class AsyncInvokeBody {

    private static final JsonFactory JSON = new JsonFactory();

    private AsyncInvokeBody() {
    }

    /** The top-level modelId, or empty when the body has none. @throws ProxyRefusal for a malformed body */
    public static Optional<String> modelId(Buffer body) {
        return locate(body).map(l -> l.value);
    }

    /** The body with the top-level modelId replaced by {@code newModelId}. */
    public static Buffer withModelId(Buffer body, String newModelId) {
        Location location = locate(body).orElseThrow(
                () -> ProxyRefusal.validation("StartAsyncInvoke body has no modelId"));
        String quoted = '"' + new String(JsonStringEncoder.getInstance().quoteAsString(newModelId)) + '"';
        return Buffer.buffer()
                .appendBuffer(body, 0, location.start)
                .appendString(quoted, "UTF-8")
                .appendBuffer(body, location.end, body.length() - location.end);
    }

    private record Location(String value, int start, int end) {
    }

    private static Optional<Location> locate(Buffer body) {
        byte[] bytes = body.getBytes();
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ProxyRefusal.validation("StartAsyncInvoke body must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("modelId") && value == JsonToken.VALUE_STRING) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    String id = parser.getText();
                    int end = endOfString(bytes, start);
                    return Optional.of(new Location(id, start, end));
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            throw ProxyRefusal.validation("StartAsyncInvoke body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProxyRefusal.validation("StartAsyncInvoke body could not be read");
        }
    }

    /** Index just past the closing quote of the JSON string starting at {@code start}. */
    private static int endOfString(byte[] bytes, int start) {
        for (int i = start + 1; i < bytes.length; i++) {
            if (bytes[i] == '\\') {
                i++;
            } else if (bytes[i] == '"') {
                return i + 1;
            }
        }
        throw ProxyRefusal.validation("StartAsyncInvoke body has an unterminated string");
    }
}
