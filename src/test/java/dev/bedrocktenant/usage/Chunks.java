package dev.bedrocktenant.usage;

import java.util.function.Supplier;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** Ways of feeding the same body bytes: cut in two anywhere, or one byte at a time. */
final class Chunks {

    static final MultiMap EVENT_STREAM_HEADERS =
            MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/vnd.amazon.eventstream");
    static final MultiMap JSON_HEADERS = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");

    private Chunks() {
    }

    static UsageExtractor splitAt(Supplier<UsageExtractor> fresh, MultiMap headers, Buffer body, int at) {
        UsageExtractor extractor = fresh.get();
        extractor.onHeaders(200, headers);
        extractor.onBytes(body.getBuffer(0, at));
        extractor.onBytes(body.getBuffer(at, body.length()));
        return extractor;
    }

    static UsageExtractor byteByByte(Supplier<UsageExtractor> fresh, MultiMap headers, Buffer body) {
        UsageExtractor extractor = fresh.get();
        extractor.onHeaders(200, headers);
        for (int i = 0; i < body.length(); i++) {
            extractor.onBytes(body.getBuffer(i, i + 1));
        }
        return extractor;
    }
}
