package dev.bedrocktenant.budget.notify;

import java.util.concurrent.CompletionException;

/**
 * A destination did not take a message.
 *
 * @see Destination#deliver
 */
final class DeliveryFailure extends RuntimeException {

    private final boolean retryable;

    /**
     * @param why       what went wrong, fit for a log line: never a webhook URL or credentials
     * @param retryable false when sending the same again cannot succeed (a 4xx other than throttling)
     */
    DeliveryFailure(String why, boolean retryable) {
        super(why, null, false, false);
        this.retryable = retryable;
    }

    boolean retryable() {
        return retryable;
    }

    /** What failed, out of the wrapper a completion stage puts around it. */
    static Throwable causeOf(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
