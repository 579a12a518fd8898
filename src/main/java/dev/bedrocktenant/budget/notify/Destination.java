package dev.bedrocktenant.budget.notify;

import java.util.concurrent.CompletableFuture;

/** Where alert messages go: a webhook or an SNS topic. */
interface Destination extends AutoCloseable {

    /** Its {@code destination} label: {@code webhook}, {@code sns}. */
    String name();

    /**
     * Sends one message, without blocking the caller; completes when the destination took it, or exceptionally
     * with a {@link DeliveryFailure}.
     */
    CompletableFuture<Void> deliver(AlertMessage message);

    @Override
    void close();
}
