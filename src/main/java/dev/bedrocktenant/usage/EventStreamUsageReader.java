package dev.bedrocktenant.usage;

import java.nio.ByteBuffer;
import java.util.Optional;

import io.vertx.core.buffer.Buffer;
import software.amazon.eventstream.Message;

/**
 * The two event-stream operations: frames are decoded as they pass, an exception event is noted
 * (the call failed after its 200), and each event of the stream union goes to {@link #onEvent}.
 */
abstract class EventStreamUsageReader extends ResponseUsageReader {

    private Optional<String> streamException = Optional.empty();

    /**
     * Whole frames only, as the relay hands them over: finding frame boundaries in the network's chunks and
     * holding back a partial frame is the relay's job alone. Each frame is decoded with its CRCs checked; a
     * corrupt or cut-off frame fails to decode, which makes the rest of the stream unreadable.
     */
    @Override
    final void readBody(Buffer bytes) {
        ByteBuffer frames = bytes.getByteBuf().nioBuffer();
        while (frames.hasRemaining()) {
            StreamEvent event = StreamEvent.of(Message.decode(frames)); // takes one frame off the front
            if (event.isEvent()) {
                onEvent(event);
            } else {
                streamException = Optional.of(event.type());
            }
        }
    }

    /** An event (not an exception) of the operation's stream union. */
    abstract void onEvent(StreamEvent event);

    @Override
    public final Optional<String> streamException() {
        return streamException;
    }
}
