package dev.bedrocktenant.simulator;

import java.util.Map;
import java.util.Optional;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Errors as Bedrock Runtime sends them (restJson1): the status of the error shape, header
 * {@code x-amzn-ErrorType: <ShapeName>}, body {@code {"message": …}} — what the SDKs turn into
 * their typed exceptions.
 */
final class RestJsonErrors {

    /** Error shapes of bedrock-runtime 2023-09-30 and their {@code httpStatusCode}. */
    private static final Map<String, Integer> MODEL_SHAPES = Map.ofEntries(
            Map.entry("AccessDeniedException", 403),
            Map.entry("ConflictException", 400),
            Map.entry("InternalServerException", 500),
            Map.entry("ModelErrorException", 424),
            Map.entry("ModelNotReadyException", 429),
            Map.entry("ModelStreamErrorException", 424),
            Map.entry("ModelTimeoutException", 408),
            Map.entry("ResourceNotFoundException", 404),
            Map.entry("ServiceQuotaExceededException", 400),
            Map.entry("ServiceUnavailableException", 503),
            Map.entry("ThrottlingException", 429),
            Map.entry("ValidationException", 400));

    /** Errors the AWS front door answers before the service sees the request (not in the model). */
    private static final Map<String, Integer> FRONT_DOOR = Map.of(
            "MissingAuthenticationTokenException", 403,
            "IncompleteSignatureException", 403,
            "UnrecognizedClientException", 403,
            "InvalidSignatureException", 403,
            "UnknownOperationException", 404);

    private RestJsonErrors() {
    }

    /** The status of an error shape of the service model; empty for names the model does not define. */
    static Optional<Integer> modelStatus(String shapeName) {
        return Optional.ofNullable(MODEL_SHAPES.get(shapeName));
    }

    static Future<Void> write(HttpServerResponse response, String shapeName, String message) {
        Integer status = MODEL_SHAPES.getOrDefault(shapeName, FRONT_DOOR.get(shapeName));
        if (status == null) {
            throw new IllegalArgumentException("no status known for error shape " + shapeName);
        }
        return response.setStatusCode(status)
                .putHeader("x-amzn-ErrorType", shapeName)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("message", message).toBuffer());
    }
}
