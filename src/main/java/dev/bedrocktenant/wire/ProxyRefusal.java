package dev.bedrocktenant.wire;

import java.util.Map;



/**
 * A request the proxy answers itself, in Bedrock's error shape (docs/reference.md §9), so that every AWS SDK
 * raises its usual typed exception. Thrown by any stage of the pipeline; carries no stack trace
 * because it is an expected outcome, not a bug.
 */
public final class ProxyRefusal extends RuntimeException {

    /** The error types the proxy itself answers, with the HTTP status Bedrock's model gives each. */
    public enum Kind {
        ACCESS_DENIED(403, "AccessDeniedException"),
        VALIDATION(400, "ValidationException"),
        THROTTLING(429, "ThrottlingException"),
        SERVICE_UNAVAILABLE(503, "ServiceUnavailableException");

        public final int status;
        public final String errorType;

        Kind(int status, String errorType) {
            this.status = status;
            this.errorType = errorType;
        }
    }

    private final Kind kind;
    private final Map<String, String> headers;

    public ProxyRefusal(Kind kind, String message) {
        this(kind, message, Map.of());
    }

    /** @param headers more response headers, such as {@code Retry-After} */
    public ProxyRefusal(Kind kind, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.kind = kind;
        this.headers = Map.copyOf(headers);
    }

    public static ProxyRefusal accessDenied(String message) {
        return new ProxyRefusal(Kind.ACCESS_DENIED, message);
    }

    public static ProxyRefusal validation(String message) {
        return new ProxyRefusal(Kind.VALIDATION, message);
    }

    public static ProxyRefusal throttling(String message, Map<String, String> headers) {
        return new ProxyRefusal(Kind.THROTTLING, message, headers);
    }

    public static ProxyRefusal serviceUnavailable(String message) {
        return new ProxyRefusal(Kind.SERVICE_UNAVAILABLE, message);
    }

    public Kind kind() {
        return kind;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
