package dev.bedrocktenant.metering;

import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;

/** A line waiting for the writer: its bytes (newline included), its day file, and who waits for it. */
record PendingLine(LocalDate day, byte[] bytes, String requestId, CompletableFuture<Void> written) {
}
