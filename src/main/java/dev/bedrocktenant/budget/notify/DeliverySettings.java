package dev.bedrocktenant.budget.notify;

import java.time.Duration;

/**
 * How each destination's sender queues and retries, as a plain value so tests can build one. See
 * {@link NotifyConfig} for the meaning of each.
 */
record DeliverySettings(int queueSize, int maxAttempts, Duration retryInitialDelay, Duration retryMaxDelay) {

    public DeliverySettings {
        if (queueSize < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("proxy.notify queue-size and max-attempts must be at least 1");
        }
        if (retryInitialDelay.isNegative() || retryMaxDelay.compareTo(retryInitialDelay) < 0) {
            throw new IllegalArgumentException("proxy.notify.retry-max-delay must be at least retry-initial-delay, which must"
                    + " not be negative");
        }
    }

    static DeliverySettings of(NotifyConfig config) {
        return new DeliverySettings(config.queueSize(), config.maxAttempts(), config.retryInitialDelay(), config.retryMaxDelay());
    }
}
