package dev.bedrocktenant.usage;

import java.util.Optional;
import java.util.OptionalLong;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Reads the token usage out of one Bedrock response as it streams by, without holding it up or
 * keeping it: it sees the same bytes the application gets, once. One instance per response; called
 * on the event loop only.
 */
public interface UsageExtractor {

    /** Bedrock's status and headers (InvokeModel reports tokens here). */
    void onHeaders(int status, MultiMap headers);

    /** Body bytes as relayed to the application; for an event stream, whole frames only. Never throws. */
    void onBytes(Buffer bytes);

    /** What the response reported so far; {@link TokenUsage#NOT_REPORTED} when nothing yet. */
    TokenUsage usage();

    /**
     * True once the model has produced output, so that tokens were used whether or not their count
     * arrives: a successful answer Bedrock sends whole, or a stream's first content. Never for an error
     * status or for operations that bill no tokens. With {@link #usage()} this decides what a finished
     * response used ({@link TokenUsage#used}).
     */
    boolean outputProduced();

    /** {@link System#nanoTime()} when the first generated content arrived (streams), if it did. */
    OptionalLong firstTokenNanos();

    /** True when part of the response that should carry usage could not be read (malformed JSON, bad frame). */
    boolean unreadable();

    /**
     * The service tier Bedrock says it served the request in ({@code default}, {@code priority}, {@code flex}, …),
     * once the response has said; empty where it does not say.
     */
    default Optional<String> servedTier() {
        return Optional.empty();
    }

    /**
     * The exception event (its member name, e.g. {@code modelStreamErrorException}) that ended an
     * event stream: the HTTP status was 200, but the call failed.
     */
    default Optional<String> streamException() {
        return Optional.empty();
    }
}
