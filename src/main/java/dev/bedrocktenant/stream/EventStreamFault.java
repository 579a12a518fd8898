package dev.bedrocktenant.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * An exception event, framed as Bedrock frames its own ({@code :message-type: exception}), that
 * ends a client stream whose upstream failed part-way: the application's SDK then raises its typed
 * exception instead of hanging or reporting a torn frame.
 */
final class EventStreamFault {

    /** A member of both ConverseStreamOutput and ResponseStream in the service model. */
    static final String EXCEPTION_TYPE = "serviceUnavailableException";

    private EventStreamFault() {
    }

    static Buffer frame(String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("exception"));
        headers.put(":exception-type", HeaderValue.fromString(EXCEPTION_TYPE));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        byte[] payload = new JsonObject().put("message", message).encode().getBytes(StandardCharsets.UTF_8);
        ByteBuffer encoded = new Message(headers, payload).toByteBuffer();
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return Buffer.buffer(bytes);
    }
}
