package dev.bedrocktenant.usage;

import java.io.IOException;

/**
 * InvokeModelWithResponseStream: the usage is Bedrock's {@code amazon-bedrock-invocationMetrics} in
 * the last {@code chunk}; a stream cut off before it reports nothing. The first chunk with generated
 * content is the first token.
 */
final class InvokeModelStreamUsageReader extends EventStreamUsageReader {

    /** A bad chunk spoils only itself: the frames around it are still well delimited. */
    @Override
    void onEvent(StreamEvent event) {
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
