package dev.bedrocktenant.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Sends an event stream frame by frame, each in its own write, {@code pause-ms} apart and {@code pause-ms}
 * before the stream's end (on Vert.x timers, never blocking the event loop: a client can act on the last event
 * while the stream is still open, as it can on Bedrock's), and applies the failure directives: {@code stream-error}
 * ends the stream with an exception event after K deltas, {@code drop-after} writes half of the
 * frame after K deltas and cuts the connection, {@code garbage-after} slips bytes that are no frame in after K
 * deltas and goes on. K beyond the number of deltas means after the last.
 * Stops as soon as the client has gone.
 */
final class EventStreamWriter {

    private final SimulatedExchange exchange;
    private final List<Supplier<Buffer>> steps = new ArrayList<>();
    private boolean dropsAtEnd;

    /**
     * @param head   frames before the deltas
     * @param deltas one frame per content delta
     * @param tail   frames after the deltas; built when sent, so they can report the real latency
     */
    EventStreamWriter(SimulatedExchange exchange, List<Buffer> head, List<Buffer> deltas,
                      List<Supplier<Buffer>> tail) {
        this.exchange = exchange;
        SimulatorDirectives d = exchange.directives;
        head.forEach(frame -> steps.add(() -> frame));
        int n = deltas.size();
        for (int i = 0; ; i++) {
            if (d.streamError().isPresent() && Math.min(d.streamError().get().afterDeltas(), n) == i) {
                String member = d.streamError().get().member();
                Buffer exception = EventStreamFrames.exception(member, "Simulated " + member + " after " + i + " deltas");
                steps.add(() -> exception);
                return;
            }
            if (d.dropAfter().isPresent() && Math.min(d.dropAfter().getAsInt(), n) == i) {
                int at = i;
                Supplier<Buffer> next = i < n ? () -> deltas.get(at) : tail.get(0);
                steps.add(() -> half(next.get()));
                dropsAtEnd = true;
                return;
            }
            if (d.garbageAfter().isPresent() && Math.min(d.garbageAfter().getAsInt(), n) == i) {
                steps.add(EventStreamWriter::garbage);
            }
            if (i == n) {
                steps.addAll(tail);
                return;
            }
            Buffer delta = deltas.get(i);
            steps.add(() -> delta);
        }
    }

    /** Sends the status line and headers, then the frames. */
    void start() {
        HttpServerResponse response = exchange.response();
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", EventStreamFrames.CONTENT_TYPE);
        writeFrom(0);
    }

    private void writeFrom(int index) {
        if (exchange.finished()) {
            return;
        }
        HttpServerResponse response = exchange.response();
        if (index == steps.size()) {
            exchange.track(response.end());
            return;
        }
        boolean last = index == steps.size() - 1;
        if (last && dropsAtEnd) {
            response.write(steps.get(index).get()).onComplete(ar -> exchange.drop());
            return;
        }
        response.write(steps.get(index).get());
        long pause = exchange.directives.pauseMs();
        if (pause > 0) {
            exchange.vertx().setTimer(pause, t -> writeFrom(index + 1));
        } else {
            writeFrom(index + 1);
        }
    }

    /** A prelude declaring a frame of 0xFFFFFFFF bytes (-1 as a signed length): no decoder can take it. */
    private static Buffer garbage() {
        return Buffer.buffer(new byte[] {-1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    }

    private static Buffer half(Buffer frame) {
        return frame.getBuffer(0, frame.length() / 2);
    }
}
