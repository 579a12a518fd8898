package dev.bedrocktenant.metering.ledger;

import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A line waiting for the writer: its bytes (newline included), its day file, when it was queued
 * ({@link System#nanoTime()}), who waits for it and where that wait is to be completed.
 */
record PendingLine(LocalDate day, byte[] bytes, String requestId, long queuedAtNanos, CompletableFuture<Void> written,
                   Executor acknowledgements) {

    boolean queuedBefore(long nanos) {
        return queuedAtNanos - nanos < 0;
    }
}
