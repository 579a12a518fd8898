package dev.bedrocktenant.wire;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The application's request as it reached the proxy, body read in full (it must be hashed for
 * SigV4 anyway). Paths and queries are kept raw, percent-encoding intact, because both the
 * caller's signature and ours are computed over the encoded form.
 *
 * @param authority host[:port] the caller addressed (Host header, or :authority over HTTP/2)
 * @param rawQuery  the query string without '?', or null
 * @param headers   Vert.x headers: names compare case-insensitively
 */
public record InboundRequest(String method, String authority, String rawPath, String rawQuery,
                             MultiMap headers, Buffer body) {
}
