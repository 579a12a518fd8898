package dev.bedrocktenant.usage;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.wire.BedrockHeaders;
import io.vertx.core.MultiMap;

/**
 * InvokeModelWithResponseStream: the usage is Bedrock's {@code amazon-bedrock-invocationMetrics} in
 * the last {@code chunk}; a stream cut off before it reports nothing. The first chunk with generated
 * content is the first token. The served tier is in the response's headers; Anthropic's split of the cache writes
 * by TTL in its {@code message_start}, applied to the metrics' total.
 */
final class InvokeModelStreamUsageReader extends EventStreamUsageReader {

    private Optional<CacheDetails> cacheCreation = Optional.empty();

    @Override
    void readHeaders(MultiMap headers) {
        for (Map.Entry<String, String> header : headers) { // compared ignoring case, whatever map is passed
            if (BedrockHeaders.SERVICE_TIER.equalsIgnoreCase(header.getKey())) {
                ServedTier.fromHeader(header.getValue()).ifPresent(this::served);
            }
        }
    }

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
        if (chunk.cacheCreation().isPresent()) {
            cacheCreation = chunk.cacheCreation();
        }
        chunk.metrics().ifPresent(metrics -> reported(cacheCreation.map(metrics::split).orElse(metrics)));
    }
}
