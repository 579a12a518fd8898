package dev.bedrocktenant.stream;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Watches a response as it is relayed, without delaying it: the hook metering taps. Every method
 * has a pass-through default so an observer implements only what it needs.
 */
public interface RelayObserver {

    RelayObserver NONE = new RelayObserver() {
    };

    /** How a relayed response ended. */
    enum End {
        /** the whole response reached the client */
        COMPLETE,
        /** the client went away first; the upstream request was cancelled */
        CLIENT_GONE,
        /** Bedrock's response broke off part-way */
        UPSTREAM_FAILED
    }

    /** Bedrock's status and headers have arrived. */
    default void onHeaders(HttpClientResponse upstream) {
    }

    /** Bytes about to be written to the client: for an event stream, whole frames only. */
    default void onBytes(Buffer bytes) {
    }

    /**
     * Called when the whole response has arrived from Bedrock, before its final bytes go to the
     * client; the relay sends them once the returned future completes. This is where usage is made
     * durable, so that a response the application saw complete is always on record.
     */
    default Future<Void> beforeCompletion() {
        return Future.succeededFuture();
    }

    /** The relay is over; for {@link End#COMPLETE} this follows {@link #beforeCompletion()}. */
    default void onEnd(End end) {
    }
}
