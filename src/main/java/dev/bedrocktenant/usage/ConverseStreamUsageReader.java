package dev.bedrocktenant.usage;

/**
 * ConverseStream: the usage (and the served tier) comes in the {@code metadata} event, the last of a complete stream; a
 * stream cut off before it reports nothing. The first {@code contentBlockDelta} is the first token.
 */
final class ConverseStreamUsageReader extends EventStreamUsageReader {

    @Override
    void onEvent(StreamEvent event) {
        if (event.is("contentBlockDelta")) {
            firstTokenNow();
        } else if (event.is("metadata")) {
            readMetadata(event.payload());
        }
    }

    /** A bad metadata payload spoils only itself: the frames around it are still well delimited. */
    private void readMetadata(byte[] payload) {
        TopLevelUsageScanner scanner = new TopLevelUsageScanner();
        try {
            scanner.feed(payload, 0, payload.length);
            scanner.endOfInput();
        } catch (RuntimeException e) {
            markUnreadable(e);
            return;
        }
        scanner.servedTier().ifPresent(this::served);
        if (scanner.usage().isPresent()) {
            reported(scanner.usage().get());
        } else {
            markUnreadable(new MalformedUsage("metadata event without usage"));
        }
    }
}
