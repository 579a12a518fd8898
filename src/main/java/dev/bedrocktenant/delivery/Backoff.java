package dev.bedrocktenant.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before a retry: doubled per failed attempt from the initial delay, capped, with "equal jitter" so
 * that a fleet of sidecars failing at the same moment does not retry in step.
 */
public record Backoff(Duration initial, Duration max) {

    public Duration after(int failedAttempt) {
        long base = initial.toMillis() << Math.min(failedAttempt - 1, 20);
        long capped = Math.min(base, max.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
