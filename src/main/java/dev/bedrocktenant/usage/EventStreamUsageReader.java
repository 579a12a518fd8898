package dev.bedrocktenant.usage;

import java.util.Optional;

import io.vertx.core.buffer.Buffer;

/**
 * The two event-stream operations: frames are decoded as they pass, an exception event is noted
 * (the call failed after its 200), and each event of the stream union goes to {@link #onEvent}.
 */
abstract class EventStreamUsageReader extends ResponseUsageReader {

    private final EventFrames frames = new EventFrames();
    private Optional<String> streamException = Optional.empty();

    @Override
    final void readBody(Buffer bytes) {
        frames.feed(bytes, frame -> {
            StreamEvent event = StreamEvent.of(frame);
            if (event.isEvent()) {
                onEvent(event);
            } else {
                streamException = Optional.of(event.type());
            }
        });
    }

    /** An event (not an exception) of the operation's stream union. */
    abstract void onEvent(StreamEvent event);

    @Override
    public final Optional<String> streamException() {
        return streamException;
    }
}
