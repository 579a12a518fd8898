package dev.bedrocktenant.usage;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;
import software.amazon.eventstream.Message;

/**
 * Decodes AWS event-stream frames (CRCs checked) from the chunks of a response. The relay hands
 * over whole frames, so normally nothing is kept between chunks; should a chunk end inside a frame
 * anyway, only that frame's beginning is held. (The library's MessageDecoder would do the same but
 * allocates 2 MiB up front for every stream.)
 */
final class EventFrames {

    /** Prelude (total length, headers length, prelude CRC) plus the message CRC. */
    private static final int MIN_FRAME_BYTES = 16;
    /** The cap the relay puts on a frame, too. */
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private byte[] pending;

    /**
     * Passes each frame completed by this chunk to {@code frames}, in order.
     *
     * @throws IllegalArgumentException on a frame with an impossible length or a wrong checksum
     */
    void feed(Buffer chunk, Consumer<Message> frames) {
        ByteBuffer data = ByteBuffer.wrap(pending == null ? chunk.getBytes() : join(pending, chunk));
        pending = null;
        while (data.remaining() >= 4) {
            int total = data.getInt(data.position());
            if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES) {
                throw new IllegalArgumentException("event-stream frame declares " + total + " bytes");
            }
            if (data.remaining() < total) {
                break;
            }
            ByteBuffer frame = data.slice();
            frame.limit(total);
            data.position(data.position() + total);
            frames.accept(Message.decode(frame));
        }
        if (data.hasRemaining()) {
            pending = new byte[data.remaining()];
            data.get(pending);
        }
    }

    private static byte[] join(byte[] head, Buffer tail) {
        byte[] joined = new byte[head.length + tail.length()];
        System.arraycopy(head, 0, joined, 0, head.length);
        tail.getBytes(joined, head.length);
        return joined;
    }
}
