package dev.bedrocktenant.usage;

import java.util.function.Supplier;

import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Ways of feeding the same body bytes: cut in two anywhere (as views into one array, at an offset), or one
 * byte at a time (in direct buffers, which have no array): both kinds arrive from the network.
 */
final class Chunks {

    static final MultiMap EVENT_STREAM_HEADERS =
            MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/vnd.amazon.eventstream");
    static final MultiMap JSON_HEADERS = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");

    private Chunks() {
    }

    static UsageExtractor splitAt(Supplier<UsageExtractor> fresh, MultiMap headers, Buffer body, int at) {
        UsageExtractor extractor = fresh.get();
        extractor.onHeaders(200, headers);
        byte[] bytes = body.getBytes();
        extractor.onBytes(Buffer.buffer(Unpooled.wrappedBuffer(bytes, 0, at)));
        extractor.onBytes(Buffer.buffer(Unpooled.wrappedBuffer(bytes, at, bytes.length - at)));
        return extractor;
    }

    static UsageExtractor byteByByte(Supplier<UsageExtractor> fresh, MultiMap headers, Buffer body) {
        UsageExtractor extractor = fresh.get();
        extractor.onHeaders(200, headers);
        for (int i = 0; i < body.length(); i++) {
            extractor.onBytes(Buffer.buffer(Unpooled.directBuffer(1).writeByte(body.getByte(i))));
        }
        return extractor;
    }
}
