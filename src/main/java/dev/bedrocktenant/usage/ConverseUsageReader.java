package dev.bedrocktenant.usage;

import io.vertx.core.buffer.Buffer;

/**
 * Converse: the top-level {@code usage} of the ConverseResponse JSON, read from the chunks as they
 * pass. Bedrock puts it after the output, so nothing is reported until the end is near.
 */
final class ConverseUsageReader extends ResponseUsageReader {

    private final TopLevelUsageScanner scanner = new TopLevelUsageScanner("usage", TokenFieldNames.CONVERSE);

    @Override
    void readBody(Buffer bytes) {
        scanner.feed(bytes.getBytes(), 0, bytes.length());
        scanner.usage().ifPresent(this::reported);
    }
}
