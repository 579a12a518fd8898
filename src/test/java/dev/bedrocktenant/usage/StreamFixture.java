package dev.bedrocktenant.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** An event stream as its list of frames, each one whole, as the relay hands them over. */
record StreamFixture(List<Buffer> frames) {

    /** Splits a captured body at its frame boundaries (each frame starts with its total length). */
    static StreamFixture captured(String name) {
        Buffer body = Buffer.buffer(Fixture.captured(name).body());
        List<Buffer> frames = new ArrayList<>();
        for (int at = 0; at < body.length(); at += body.getInt(at)) {
            frames.add(body.getBuffer(at, at + body.getInt(at)));
        }
        return new StreamFixture(frames);
    }

    /** Encodes a hand-written {@code *.events.json}; a chunk's decoded {@code bytes} get base64-encoded. */
    static StreamFixture written(String file) {
        JsonArray events = new JsonArray(new String(Fixture.bytes(file), StandardCharsets.UTF_8));
        List<Buffer> frames = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonObject entry = events.getJsonObject(i);
            JsonObject payload = entry.containsKey("bytes")
                    ? new JsonObject().put("bytes", base64(entry.getJsonObject("bytes"))).put("p", entry.getString("p"))
                    : entry.getJsonObject("payload");
            frames.add(event(entry.getString("event"), payload.encode().getBytes(StandardCharsets.UTF_8)));
        }
        return new StreamFixture(frames);
    }

    static String base64(JsonObject modelEvent) {
        return Base64.getEncoder().encodeToString(modelEvent.encode().getBytes(StandardCharsets.UTF_8));
    }

    static Buffer event(String eventType, byte[] payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return encode(headers, payload);
    }

    static Buffer exception(String member, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(member));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return encode(headers, new JsonObject().put("message", message).encode().getBytes(StandardCharsets.UTF_8));
    }

    private static Buffer encode(Map<String, HeaderValue> headers, byte[] payload) {
        ByteBuffer frame = new Message(headers, payload).toByteBuffer();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return Buffer.buffer(bytes);
    }

    Buffer all() {
        Buffer all = Buffer.buffer();
        frames.forEach(all::appendBuffer);
        return all;
    }

    StreamFixture firstFrames(int n) {
        return new StreamFixture(frames.subList(0, n));
    }

    StreamFixture plus(Buffer frame) {
        List<Buffer> more = new ArrayList<>(frames);
        more.add(frame);
        return new StreamFixture(more);
    }

    /** Status 200 with the event-stream content type, then every frame, one call each. */
    UsageExtractor feedFrames(UsageExtractor extractor) {
        extractor.onHeaders(200, Chunks.EVENT_STREAM_HEADERS);
        frames.forEach(extractor::onBytes);
        return extractor;
    }

    /** The frames in two calls, the first holding frames [0, n). */
    UsageExtractor feedSplitAtFrame(UsageExtractor extractor, int n) {
        extractor.onHeaders(200, Chunks.EVENT_STREAM_HEADERS);
        Buffer head = Buffer.buffer();
        Buffer tail = Buffer.buffer();
        for (int i = 0; i < frames.size(); i++) {
            (i < n ? head : tail).appendBuffer(frames.get(i));
        }
        extractor.onBytes(head);
        extractor.onBytes(tail);
        return extractor;
    }
}
