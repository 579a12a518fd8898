package dev.bedrocktenant.stream;

import java.util.Map;

import dev.bedrocktenant.wire.HopByHopHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

/**
 * Streams Bedrock's response to the application as it arrives, chunk by chunk, never holding a
 * whole response. Back-pressure runs both ways: when the client reads slowly, reading from Bedrock
 * pauses until the client catches up. Only the very end is held back: the final bytes (the chunk
 * that completes a Content-Length body, or the end of a chunked or HTTP/2 stream) leave once the
 * observer has recorded the usage. (Vert.x's own pipe does the rest equally well, but has no place
 * to see the bytes, align event-stream frames, hold the end or close a broken stream cleanly.)
 */
public final class ResponseRelay {

    private static final Logger LOG = Logger.getLogger(ResponseRelay.class);
    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private final HttpClientResponse upstream;
    private final HttpServerResponse downstream;
    private final RelayObserver observer;
    private final FrameAligner frames;
    /** Body bytes still to come when Bedrock declared a Content-Length; -1 otherwise. */
    private long remaining;
    private boolean completing;
    private boolean ended;

    private ResponseRelay(HttpClientResponse upstream, HttpServerResponse downstream, RelayObserver observer) {
        this.upstream = upstream;
        this.downstream = downstream;
        this.observer = observer;
        String contentType = upstream.getHeader("Content-Type");
        this.frames = contentType != null && contentType.startsWith(EVENT_STREAM) ? new FrameAligner() : null;
        String length = upstream.getHeader("Content-Length");
        this.remaining = length == null ? -1 : Long.parseLong(length.trim());
    }

    /** Starts relaying; returns at once. */
    public static void relay(HttpClientResponse upstream, HttpServerResponse downstream, RelayObserver observer) {
        new ResponseRelay(upstream, downstream, observer).start();
    }

    private void start() {
        downstream.setStatusCode(upstream.statusCode());
        downstream.setStatusMessage(upstream.statusMessage());
        for (Map.Entry<String, String> header : upstream.headers()) {
            if (!HopByHopHeaders.is(header.getKey())) {
                downstream.headers().add(header.getKey(), header.getValue());
            }
        }
        if (remaining < 0) {
            downstream.setChunked(true);
        }
        observer.onHeaders(upstream);
        downstream.closeHandler(v -> finish(RelayObserver.End.CLIENT_GONE));
        upstream.handler(this::onChunk);
        upstream.endHandler(v -> onUpstreamEnd());
        upstream.exceptionHandler(this::onUpstreamFailure);
        if (remaining == 0) {
            complete(null);
        }
    }

    private void onChunk(Buffer chunk) {
        if (ended || completing) {
            return;
        }
        Buffer out;
        try {
            out = frames == null ? chunk : frames.completeFrames(chunk);
        } catch (IllegalStateException e) {
            onUpstreamFailure(e);
            return;
        }
        if (out.length() == 0) {
            return;
        }
        observer.onBytes(out);
        if (remaining >= 0) {
            remaining -= out.length();
            if (remaining <= 0) {
                complete(out);
                return;
            }
        }
        downstream.write(out);
        if (downstream.writeQueueFull()) {
            upstream.pause();
            downstream.drainHandler(v -> upstream.resume());
        }
    }

    private void onUpstreamEnd() {
        if (ended || completing) {
            return;
        }
        if (remaining > 0 || frames != null && !frames.atBoundary()) {
            onUpstreamFailure(new IllegalStateException("Bedrock's response ended early"));
            return;
        }
        complete(null);
    }

    /** Sends the final bytes (if any) and ends the response, once the observer has recorded it. */
    private void complete(Buffer finalBytes) {
        completing = true;
        observer.beforeCompletion().onComplete(recorded -> {
            if (ended) {
                return;
            }
            // Marked finished first: over HTTP/2 ending the stream also fires the close handler.
            finish(RelayObserver.End.COMPLETE);
            if (finalBytes == null) {
                downstream.end();
            } else {
                downstream.end(finalBytes);
            }
        });
    }

    private void onUpstreamFailure(Throwable cause) {
        if (ended || completing) {
            return;
        }
        LOG.warnf("upstream response broke off status=%d cause=%s", upstream.statusCode(), cause.toString());
        // Marked finished first: resetting fires this handler again at once, and over HTTP/2 ending the stream
        // also fires the close handler.
        finish(RelayObserver.End.UPSTREAM_FAILED);
        upstream.request().reset();
        if (frames != null) {
            downstream.end(EventStreamFault.frame("Bedrock's response stream broke off: " + cause.getMessage()));
        } else {
            // A plain body cannot be completed honestly: drop the connection so the client sees a failure.
            downstream.reset();
        }
    }

    private void finish(RelayObserver.End end) {
        if (ended) {
            return;
        }
        ended = true;
        if (end == RelayObserver.End.CLIENT_GONE) {
            upstream.request().reset();
        }
        observer.onEnd(end);
    }
}
