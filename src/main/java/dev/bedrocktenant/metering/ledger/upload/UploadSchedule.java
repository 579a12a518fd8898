package dev.bedrocktenant.metering.ledger.upload;

import java.time.Duration;

import dev.bedrocktenant.delivery.Backoff;

/**
 * When the uploader looks at the ledger again: every {@code interval}; the current day's file at most every
 * {@code currentDayInterval} (zero: not before the day is over); and a failed upload after a wait doubled
 * per failure in a row from {@code retryInitialDelay} up to {@code retryMaxDelay}, with "equal jitter", so that a
 * fleet whose bucket was down for a while does not come back in step. A day file is never given up on: it stays
 * on disk until the bucket has it.
 */
record UploadSchedule(Duration interval, Duration currentDayInterval, Duration retryInitialDelay,
                      Duration retryMaxDelay) {

    UploadSchedule {
        if (!isPositive(interval) || currentDayInterval.isNegative() || !isPositive(retryInitialDelay)
                || retryMaxDelay.compareTo(retryInitialDelay) < 0) {
            throw new IllegalArgumentException("proxy.ledger.upload-interval and upload-retry-initial-delay must be more"
                    + " than 0, upload-current-day-interval at least 0 and upload-retry-max-delay at least"
                    + " upload-retry-initial-delay");
        }
    }

    static UploadSchedule of(LedgerUploadConfig config) {
        return new UploadSchedule(config.uploadInterval(), config.uploadCurrentDayInterval(),
                config.uploadRetryInitialDelay(), config.uploadRetryMaxDelay());
    }

    /** Whether the current day's file goes up before the day is over. */
    boolean uploadsCurrentDay() {
        return isPositive(currentDayInterval);
    }

    /** The wait after the {@code failures}-th failure in a row. */
    Duration retryAfter(int failures) {
        return new Backoff(retryInitialDelay, retryMaxDelay).after(failures);
    }

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
