package dev.bedrocktenant.usage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** A response from src/test/resources/usage: {@code NAME.head} (status, then headers) and {@code NAME.body}. */
record Fixture(int status, MultiMap headers, byte[] body) {

    static Fixture captured(String name) {
        String[] head = new String(bytes(name + ".head"), StandardCharsets.UTF_8).split("\n");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.add(head[i].substring(0, colon).trim(), head[i].substring(colon + 1).trim());
        }
        return new Fixture(Integer.parseInt(head[0].trim()), headers, bytes(name + ".body"));
    }

    /** A 200 JSON response with this body file. */
    static Fixture okJson(String file) {
        return new Fixture(200, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"), bytes(file));
    }

    static byte[] bytes(String file) {
        try (InputStream in = Fixture.class.getResourceAsStream("/usage/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feeds headers and then the body in one chunk to a fresh extractor. */
    UsageExtractor feedWhole(UsageExtractor extractor) {
        extractor.onHeaders(status, headers);
        extractor.onBytes(Buffer.buffer(body));
        return extractor;
    }
}
