package dev.bedrocktenant.simulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.bedrocktenant.wire.BedrockHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One request as the simulator received it.
 *
 * @param operation      the AWS operation name (Converse, …), or null for an unknown path
 * @param rawPath        the path as sent, percent-encoding intact
 * @param rawQuery       the query string without '?', or null
 * @param modelId        decoded model id from the path (or the body for StartAsyncInvoke); null if none
 * @param headers        a copy; names compare case-insensitively
 * @param signatureValid the SigV4 signature was made with credentials the simulator accepts and matches
 * @param outcome        completed when the response has been fully sent, or the connection ended early
 */
public record RecordedRequest(String operation, String method, String rawPath, String rawQuery, String modelId,
                              MultiMap headers, byte[] body, boolean signatureValid,
                              CompletableFuture<Outcome> outcome) {


    /** How the exchange ended. */
    public enum Outcome {
        /** The whole response was written. */
        COMPLETED,
        /** The client closed the connection (or reset the stream) before the response ended. */
        CLIENT_GONE,
        /** The simulator cut the connection on purpose ({@code [[sim:drop-after=K]]}). */
        DROPPED
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The request metadata Bedrock would record in its invocation logs: Converse's body {@code requestMetadata},
     * InvokeModel's {@code X-Amzn-Bedrock-Request-Metadata} header (a JSON object); empty when none was sent.
     */
    public Map<String, String> requestMetadata() {
        JsonObject metadata = inBody() ? bodyJson().getJsonObject("requestMetadata")
                : header(BedrockHeaders.REQUEST_METADATA) == null ? null : new JsonObject(header(BedrockHeaders.REQUEST_METADATA));
        Map<String, String> entries = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach(e -> entries.put(e.getKey(), (String) e.getValue()));
        }
        return entries;
    }

    /** The service tier asked for: Converse's body {@code serviceTier.type}, InvokeModel's X-Amzn-Bedrock-Service-Tier. */
    public Optional<String> requestedServiceTier() {
        if (inBody()) {
            JsonObject tier = bodyJson().getJsonObject("serviceTier");
            return Optional.ofNullable(tier == null ? null : tier.getString("type"));
        }
        return Optional.ofNullable(header(BedrockHeaders.SERVICE_TIER));
    }

    /** Converse and ConverseStream carry metadata and tier in the body; the InvokeModel pair in headers. */
    private boolean inBody() {
        return "Converse".equals(operation) || "ConverseStream".equals(operation);
    }

    private JsonObject bodyJson() {
        return new JsonObject(Buffer.buffer(body));
    }
}
