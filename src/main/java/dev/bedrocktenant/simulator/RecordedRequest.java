package dev.bedrocktenant.simulator;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.vertx.core.MultiMap;

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
}
