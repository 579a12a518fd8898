package dev.bedrocktenant.simulator;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * AWS event-stream frames ({@code application/vnd.amazon.eventstream}) as Bedrock sends them. The
 * eventstream library computes the prelude and message CRCs the SDKs check.
 */
final class EventStreamFrames {

    static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";

    private EventStreamFrames() {
    }

    /** An event of the stream union: {@code eventType} is the member name (messageStart, chunk, …). */
    static Buffer event(String eventType, JsonObject payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("event"));
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        return encode(headers, payload);
    }

    /** A modelled exception of the stream union: {@code member} is its member name (throttlingException, …). */
    static Buffer exception(String member, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("exception"));
        headers.put(":exception-type", HeaderValue.fromString(member));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        return encode(headers, new JsonObject().put("message", message));
    }

    private static Buffer encode(Map<String, HeaderValue> headers, JsonObject payload) {
        ByteBuffer frame = new Message(headers, payload.toBuffer().getBytes()).toByteBuffer();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return Buffer.buffer(bytes);
    }
}
