package dev.bedrocktenant.usage;

import java.io.IOException;

import io.vertx.core.buffer.Buffer;

/**
 * InvokeModelWithResponseStream: the usage is Bedrock's {@code amazon-bedrock-invocationMetrics} in
 * the last {@code chunk}; a stream cut off before it reports nothing. The first chunk with generated
 * content is the first token.
 */
final class InvokeModelStreamUsageReader extends ResponseUsageReader {

    private final EventFrames frames = new EventFrames();

    @Override
    void readBody(Buffer bytes) {
        frames.feed(bytes, frame -> onEvent(StreamEvent.of(frame)));
    }

    /** A bad chunk spoils only itself: the frames around it are still well delimited. */
    private void onEvent(StreamEvent event) {
        if (!event.isEvent()) {
            exceptionEvent(event.type());
            return;
        }
        if (!event.is("chunk")) {
            return;
        }
        ModelChunk chunk;
        try {
            chunk = ModelChunk.read(event.payload());
        } catch (IOException | RuntimeException e) {
            markUnreadable(e);
            return;
        }
        if (chunk.content()) {
            firstTokenNow();
        }
        chunk.metrics().ifPresent(this::reported);
    }
}
