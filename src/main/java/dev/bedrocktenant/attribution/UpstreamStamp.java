package dev.bedrocktenant.attribution;

import java.util.Map;
import java.util.Optional;

import io.vertx.core.buffer.Buffer;

/**
 * What attribution changes in a request before it is signed: a new body, and headers set in place of the
 * application's (lower-case names).
 */
public record UpstreamStamp(Optional<Buffer> body, Map<String, String> headers) {

    public static final UpstreamStamp NONE = new UpstreamStamp(Optional.empty(), Map.of());
}
