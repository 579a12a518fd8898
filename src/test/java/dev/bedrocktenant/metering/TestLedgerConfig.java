package dev.bedrocktenant.metering;

import java.nio.file.Path;
import java.time.Duration;

/** A ledger configuration for tests that open a {@link UsageLedger} themselves. */
record TestLedgerConfig(String dir, Duration fsyncInterval, Duration commitInterval, Duration maxWait,
                        int maxQueuedLines) implements LedgerConfig {

    /** The defaults of application.properties, in {@code dir}. */
    static TestLedgerConfig in(Path dir) {
        return new TestLedgerConfig(dir.toString(), Duration.ofSeconds(1), Duration.ofMillis(5), Duration.ofSeconds(5),
                100_000);
    }

    TestLedgerConfig fsyncEvery(Duration interval) {
        return new TestLedgerConfig(dir, interval, commitInterval, maxWait, maxQueuedLines);
    }

    TestLedgerConfig commitEvery(Duration interval) {
        return new TestLedgerConfig(dir, fsyncInterval, interval, maxWait, maxQueuedLines);
    }

    TestLedgerConfig waitAtMost(Duration wait) {
        return new TestLedgerConfig(dir, fsyncInterval, commitInterval, wait, maxQueuedLines);
    }

    TestLedgerConfig queueAtMost(int lines) {
        return new TestLedgerConfig(dir, fsyncInterval, commitInterval, maxWait, lines);
    }
}
