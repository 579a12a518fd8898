package dev.bedrocktenant.proxy;

import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.MultiMap;

/**
 * How many headers a request may carry, and how large they may be together. The HTTP server's own limits
 * (quarkus.http.limits.*) sit far above these and answer with a bare 414/431 that no SDK can read; these answer
 * with a ValidationException in Bedrock's shape.
 */
final class HeaderLimits {

    /** ": " and CRLF around each header on the wire. */
    private static final int FRAMING_BYTES = 4;

    private final int maxHeaders;
    private final long maxBytes;

    HeaderLimits(RequestConfig config) {
        this.maxHeaders = config.maxHeaders();
        this.maxBytes = config.maxHeaderBytes().asLongValue();
    }

    Optional<ProxyRefusal> check(MultiMap headers) {
        if (headers.size() > maxHeaders) {
            return Optional.of(ProxyRefusal.validation("the request has " + headers.size() + " headers; this proxy accepts at most "
                    + maxHeaders + " (proxy.request.max-headers)"));
        }
        long bytes = 0;
        for (Map.Entry<String, String> header : headers) {
            bytes += header.getKey().length() + header.getValue().length() + FRAMING_BYTES;
        }
        if (bytes > maxBytes) {
            return Optional.of(ProxyRefusal.validation("the request's headers take " + bytes + " bytes; this proxy accepts at most "
                    + maxBytes + " bytes (proxy.request.max-header-bytes)"));
        }
        return Optional.empty();
    }
}
