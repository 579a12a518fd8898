package dev.bedrocktenant.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;

class EventStreamFramesTest {

    @Test
    void eventFrameDecodesWithItsHeadersAndPayload() {
        Buffer frame = EventStreamFrames.event("contentBlockDelta",
                new JsonObject().put("contentBlockIndex", 0).put("delta", new JsonObject().put("text", "Hi")));
        Message message = Message.decode(ByteBuffer.wrap(frame.getBytes()));
        assertEquals("event", message.getHeaders().get(":message-type").getString());
        assertEquals("contentBlockDelta", message.getHeaders().get(":event-type").getString());
        assertEquals("application/json", message.getHeaders().get(":content-type").getString());
        assertEquals("Hi", new JsonObject(Buffer.buffer(message.getPayload())).getJsonObject("delta").getString("text"));
    }

    @Test
    void exceptionFrameNamesTheUnionMember() {
        Buffer frame = EventStreamFrames.exception("modelStreamErrorException", "boom");
        Message message = Message.decode(ByteBuffer.wrap(frame.getBytes()));
        assertEquals("exception", message.getHeaders().get(":message-type").getString());
        assertEquals("modelStreamErrorException", message.getHeaders().get(":exception-type").getString());
        assertEquals("application/json", message.getHeaders().get(":content-type").getString());
        assertEquals("boom", new JsonObject(Buffer.buffer(message.getPayload())).getString("message"));
    }

    @Test
    void aCorruptedFrameFailsItsChecksum() {
        byte[] bytes = EventStreamFrames.event("messageStop", new JsonObject().put("stopReason", "end_turn")).getBytes();
        bytes[bytes.length - 6] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> Message.decode(ByteBuffer.wrap(bytes)));
    }
}
