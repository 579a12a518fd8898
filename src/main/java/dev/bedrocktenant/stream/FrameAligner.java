package dev.bedrocktenant.stream;

import io.vertx.core.buffer.Buffer;

/**
 * Passes an AWS event stream on in whole frames only. Each frame starts with its total length
 * (a 4-byte big-endian prelude field), so a chunk that ends inside a frame is held back until
 * the rest arrives. An application can only act on whole frames anyway, and this way the stream
 * the client has seen always ends on a frame boundary: if Bedrock's connection dies mid-frame the
 * proxy can still close the stream with a well-formed exception event instead of torn bytes.
 * Observers get the same whole frames (metering's usage readers decode them without looking for
 * boundaries of their own), so this is the only code that splits a stream into frames.
 * Written by hand because the SDK's decoder consumes frames rather than passing bytes through.
 */
final class FrameAligner {

    /** Prelude (total length, headers length, prelude CRC) plus the message CRC. */
    static final int MIN_FRAME_BYTES = 16;
    /** AWS event-stream messages are at most 16 MiB: the cap on what is ever held back. */
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private Buffer pending = Buffer.buffer(0);

    /**
     * @return the complete frames available with this chunk (possibly empty), in order
     * @throws IllegalStateException when a frame's declared length is impossible
     */
    Buffer completeFrames(Buffer chunk) {
        Buffer data = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
        int complete = 0;
        while (data.length() - complete >= 4) {
            int total = data.getInt(complete);
            if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES) {
                throw new IllegalStateException("event-stream frame declares " + total + " bytes");
            }
            if (data.length() - complete < total) {
                break;
            }
            complete += total;
        }
        pending = data.getBuffer(complete, data.length());
        return complete == data.length() ? data : data.getBuffer(0, complete);
    }

    boolean atBoundary() {
        return pending.length() == 0;
    }
}
