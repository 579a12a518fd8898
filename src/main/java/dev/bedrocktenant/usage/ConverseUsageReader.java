package dev.bedrocktenant.usage;

import io.netty.buffer.ByteBuf;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Converse: the top-level {@code usage} (and {@code serviceTier}) of the ConverseResponse JSON, read from the
 * chunks as they pass. Bedrock puts it after the output, so nothing is reported until the end is near.
 */
final class ConverseUsageReader extends ResponseUsageReader {

    private final TopLevelUsageScanner scanner = new TopLevelUsageScanner();

    /** Bedrock answers Converse once the whole output is generated: a success has used tokens. */
    @Override
    void readHeaders(MultiMap headers) {
        outputNow();
    }

    @Override
    void readBody(Buffer bytes) {
        ByteBuf chunk = bytes.getByteBuf(); // a view: the chunk's own array is read in place when it has one
        if (chunk.hasArray()) {
            scanner.feed(chunk.array(), chunk.arrayOffset() + chunk.readerIndex(), chunk.readableBytes());
        } else {
            scanner.feed(bytes.getBytes(), 0, bytes.length());
        }
        if (scanner.usage().isPresent()) {
            reported(scanner.usage().get());
        }
        if (scanner.servedTier().isPresent()) {
            served(scanner.servedTier().get());
        }
    }
}
