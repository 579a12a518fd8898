package dev.bedrocktenant.wire;



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

    public ProxyRefusal(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static ProxyRefusal accessDenied(String message) {
        return new ProxyRefusal(Kind.ACCESS_DENIED, message);
    }

    public static ProxyRefusal validation(String message) {
        return new ProxyRefusal(Kind.VALIDATION, message);
    }

    public static ProxyRefusal throttling(String message) {
        return new ProxyRefusal(Kind.THROTTLING, message);
    }

    public static ProxyRefusal serviceUnavailable(String message) {
        return new ProxyRefusal(Kind.SERVICE_UNAVAILABLE, message);
    }

    public Kind kind() {
        return kind;
    }
}
