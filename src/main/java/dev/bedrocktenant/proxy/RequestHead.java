package dev.bedrocktenant.proxy;

import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.MultiMap;

/**
 * What a request's head may hold: how many headers, how large together, and one unambiguous framing of its
 * body. The HTTP server's own limits (quarkus.http.limits.*) sit far above these and answer with a bare 414/431
 * that no SDK can read; these answer with a ValidationException in Bedrock's shape.
 *
 * <p>Framing: a request with both Content-Length and Transfer-Encoding, or a transfer coding other than chunked,
 * is read differently by different HTTP parsers — the door to request smuggling — so it is refused (RFC 9112
 * §6.1 allows it) and its connection closed. What the proxy sends upstream is always framed by itself.
 */
final class RequestHead {

    /** ": " and CRLF around each header on the wire. */
    private static final int FRAMING_BYTES = 4;

    private final int maxHeaders;
    private final long maxBytes;

    RequestHead(RequestConfig config) {
        this.maxHeaders = config.maxHeaders();
        this.maxBytes = config.maxHeaderBytes().asLongValue();
    }

    Optional<ProxyRefusal> check(MultiMap headers) {
        if (headers.size() > maxHeaders) {
            return Optional.of(ProxyRefusal.validation("the request has " + headers.size() + " headers; this proxy accepts at most "
                    + maxHeaders + " (proxy.request.max-headers)"));
        }
        String transferEncoding = headers.get("Transfer-Encoding");
        if (transferEncoding != null && (headers.contains("Content-Length") || headers.getAll("Transfer-Encoding").size() > 1
                || !transferEncoding.trim().equalsIgnoreCase("chunked"))) {
            return Optional.of(ProxyRefusal.validation("the request's body framing is ambiguous: Transfer-Encoding must be"
                    + " 'chunked' alone, without Content-Length"));
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
