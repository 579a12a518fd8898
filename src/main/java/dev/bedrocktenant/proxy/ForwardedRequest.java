package dev.bedrocktenant.proxy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.bedrocktenant.attribution.UpstreamStamp;
import dev.bedrocktenant.wire.AsyncInvokeBody;
import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.HopByHopHeaders;
import dev.bedrocktenant.wire.InboundRequest;
import dev.bedrocktenant.wire.RouteMatch;
import io.vertx.core.buffer.Buffer;

/**
 * What the proxy sends to Bedrock for a call: the application's request with the model id
 * rewritten, attribution's stamp applied, the tenant headers and the caller's credentials removed, not yet signed.
 *
 * @param encodedPath the path as it will be sent, percent-encoded
 * @param headers     header name → values, without Host or any signature header
 */
public record ForwardedRequest(String method, String encodedPath, String rawQuery,
                               Map<String, List<String>> headers, Buffer body) {

    /** The caller's signature and credentials: the proxy signs with its own. */
    private static final Set<String> CALLER_AUTH = Set.of(
            "host", "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256",
            "content-length", "expect");

    public static ForwardedRequest of(ProxyCall call, Predicate<String> isTenantHeader) {
        InboundRequest inbound = call.inbound();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : inbound.headers()) {
            String name = header.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (CALLER_AUTH.contains(lower) || HopByHopHeaders.is(lower) || isTenantHeader.test(name)) {
                continue;
            }
            headers.computeIfAbsent(lower, k -> new ArrayList<>()).add(header.getValue());
        }
        call.stamp().ifPresent(stamp -> stamp.headers().forEach((name, value) -> headers.put(name, List.of(value))));
        return new ForwardedRequest(inbound.method(), path(call), inbound.rawQuery(), headers, body(call));
    }

    private static String path(ProxyCall call) {
        RouteMatch route = call.route();
        if (route.modelIdStart() < 0 || call.target().isEmpty()) {
            return call.inbound().rawPath();
        }
        String raw = call.inbound().rawPath();
        return raw.substring(0, route.modelIdStart()) + encodePathSegment(call.target().get().forwardedModelId())
                + raw.substring(route.modelIdEnd());
    }

    private static Buffer body(ProxyCall call) {
        if (call.stamp().flatMap(UpstreamStamp::body).isPresent()) {
            return call.stamp().get().body().get();
        }
        if (call.operation().modelIdIn == BedrockOperation.ModelIdIn.BODY && call.target().isPresent()) {
            return AsyncInvokeBody.withModelId(call.inbound().body(), call.target().get().forwardedModelId());
        }
        return call.inbound().body();
    }

    /** Encodes as the AWS SDKs do for a path label: every byte but RFC 3986's unreserved ones. */
    static String encodePathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }
}
