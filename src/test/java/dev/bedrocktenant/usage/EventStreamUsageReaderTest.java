package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;

import dev.bedrocktenant.wire.BedrockOperation;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** What both stream readers share: decoding the whole frames the relay hands over, however their bytes are held. */
class EventStreamUsageReaderTest {

    private static final Supplier<UsageExtractor> FRESH =
            () -> UsageExtractors.forOperation(BedrockOperation.CONVERSE_STREAM);
    private static final StreamFixture CACHED = StreamFixture.written("converse-stream-cached.events.json");
    private static final TokenUsage CACHED_USAGE = Tokens.of(37, 58, 2048L, 512L);

    @Test
    void framesInDirectMemoryOrAtAnOffsetInALargerArrayReadTheSame() {
        // both arrive from the network: a direct buffer has no array, a view's bytes do not start at its array's start
        UsageExtractor direct = new StreamFixture(List.of(direct(CACHED.all()))).feedFrames(FRESH.get());
        assertEquals(CACHED_USAGE, direct.usage());
        assertFalse(direct.unreadable());
        UsageExtractor views = new StreamFixture(CACHED.frames().stream().map(EventStreamUsageReaderTest::atOffset).toList())
                .feedFrames(FRESH.get());
        assertEquals(CACHED_USAGE, views.usage());
        assertFalse(views.unreadable());
    }

    @Test
    void aChunkEndingInsideAFrameIsUnreadableRatherThanHeldBack() {
        // the relay holds back a partial frame; one that reaches the reader all the same is not guessed at
        Buffer metadata = CACHED.frames().get(7);
        int half = metadata.length() / 2;
        UsageExtractor extractor = CACHED.firstFrames(7).plus(metadata.getBuffer(0, half))
                .plus(metadata.getBuffer(half, metadata.length())).feedFrames(FRESH.get());
        assertTrue(extractor.unreadable());
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
    }

    private static Buffer direct(Buffer bytes) {
        return Buffer.buffer(Unpooled.directBuffer(bytes.length()).writeBytes(bytes.getBytes()));
    }

    private static Buffer atOffset(Buffer bytes) {
        byte[] larger = new byte[bytes.length() + 16];
        bytes.getBytes(larger, 8);
        return Buffer.buffer(Unpooled.wrappedBuffer(larger, 8, bytes.length()));
    }
}
