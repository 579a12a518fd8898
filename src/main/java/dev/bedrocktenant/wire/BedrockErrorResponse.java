package dev.bedrocktenant.wire;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Writes the proxy's own refusals in Bedrock's restJson1 error shape (docs/reference.md §9): status,
 * {@code x-amzn-ErrorType}, and {@code {"message": …}}, so the SDKs raise their typed exception.
 */
public final class BedrockErrorResponse {

    public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    private BedrockErrorResponse() {
    }

    public static void send(HttpServerResponse response, ProxyRefusal refusal, String requestId) {
        if (response.headWritten() || response.closed()) {
            return;
        }
        refusal.headers().forEach(response::putHeader);
        response.setStatusCode(refusal.kind().status)
                .putHeader(ERROR_TYPE_HEADER, refusal.kind().errorType)
                .putHeader(REQUEST_ID_HEADER, requestId)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("message", refusal.getMessage()).encode());
    }
}
