package dev.bedrocktenant.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

class FrameAlignerTest {

    private static byte[] frame(String eventType, String json) {
        ByteBuffer encoded = new Message(Map.of(
                ":message-type", HeaderValue.fromString("event"),
                ":event-type", HeaderValue.fromString(eventType),
                ":content-type", HeaderValue.fromString("application/json")),
                json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    private static byte[] stream() {
        Buffer all = Buffer.buffer()
                .appendBytes(frame("messageStart", "{\"role\":\"assistant\"}"))
                .appendBytes(frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"}}"))
                .appendBytes(frame("metadata", "{\"usage\":{\"inputTokens\":5,\"outputTokens\":1,\"totalTokens\":6}}"));
        return all.getBytes();
    }

    @Test
    void everySplitOfTheStreamIntoTwoChunksYieldsTheSameWholeFrames() {
        byte[] bytes = stream();
        for (int split = 0; split <= bytes.length; split++) {
            FrameAligner aligner = new FrameAligner();
            Buffer out = Buffer.buffer();
            out.appendBuffer(aligner.completeFrames(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, split))));
            assertWholeFrames(out);
            out.appendBuffer(aligner.completeFrames(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, split, bytes.length))));
            assertArrayEquals(bytes, out.getBytes(), "split at " + split);
            assertTrue(aligner.atBoundary());
        }
    }

    @Test
    void byteByByteDeliveryHoldsBackOnlyTheUnfinishedFrame() {
        byte[] bytes = stream();
        FrameAligner aligner = new FrameAligner();
        Buffer out = Buffer.buffer();
        for (byte b : bytes) {
            out.appendBuffer(aligner.completeFrames(Buffer.buffer(new byte[] {b})));
            assertWholeFrames(out);
        }
        assertArrayEquals(bytes, out.getBytes());
    }

    @Test
    void anImpossibleFrameLengthIsAProtocolError() {
        FrameAligner aligner = new FrameAligner();
        assertThrows(IllegalStateException.class, () -> aligner.completeFrames(Buffer.buffer().appendInt(3).appendInt(0)));
    }

    @Test
    void theFaultFrameIsAValidExceptionEvent() {
        List<Message> decoded = new ArrayList<>();
        new MessageDecoder(decoded::add).feed(EventStreamFault.frame("broke off").getBytes());
        assertEquals(1, decoded.size());
        assertEquals("exception", decoded.get(0).getHeaders().get(":message-type").getString());
        assertEquals("serviceUnavailableException", decoded.get(0).getHeaders().get(":exception-type").getString());
        assertEquals("{\"message\":\"broke off\"}", new String(decoded.get(0).getPayload(), StandardCharsets.UTF_8));
    }

    /** The bytes decode into messages with nothing left over: the SDK's decoder checks both CRCs. */
    private static void assertWholeFrames(Buffer out) {
        List<Message> decoded = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder(decoded::add);
        decoder.feed(out.getBytes());
        int total = decoded.stream().mapToInt(m -> m.toByteBuffer().remaining()).sum();
        assertEquals(out.length(), total);
    }
}
