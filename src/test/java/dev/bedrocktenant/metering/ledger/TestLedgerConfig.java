package dev.bedrocktenant.metering.ledger;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;

/** A ledger configuration for tests that open a {@link UsageLedger} themselves. */
public record TestLedgerConfig(String dir, Duration fsyncInterval, Duration commitInterval, Duration maxWait,
                        MemorySize journalSize, int maxQueuedLines) implements LedgerConfig {

    /** The defaults of application.properties, in {@code dir}. */
    public static TestLedgerConfig in(Path dir) {
        return new TestLedgerConfig(dir.toString(), Duration.ofSeconds(1), Duration.ofMillis(5), Duration.ofSeconds(5),
                bytes(1024 * 1024), 100_000);
    }

    public TestLedgerConfig fsyncEvery(Duration interval) {
        return new TestLedgerConfig(dir, interval, commitInterval, maxWait, journalSize, maxQueuedLines);
    }

    public TestLedgerConfig commitEvery(Duration interval) {
        return new TestLedgerConfig(dir, fsyncInterval, interval, maxWait, journalSize, maxQueuedLines);
    }

    public TestLedgerConfig waitAtMost(Duration wait) {
        return new TestLedgerConfig(dir, fsyncInterval, commitInterval, wait, journalSize, maxQueuedLines);
    }

    public TestLedgerConfig queueAtMost(int lines) {
        return new TestLedgerConfig(dir, fsyncInterval, commitInterval, maxWait, journalSize, lines);
    }

    /** {@code 0}: every line takes the queue, and its future completes when it is in the file. */
    public TestLedgerConfig journalOf(long journalBytes) {
        return new TestLedgerConfig(dir, fsyncInterval, commitInterval, maxWait, bytes(journalBytes), maxQueuedLines);
    }

    public TestLedgerConfig withoutJournal() {
        return journalOf(0);
    }

    private static MemorySize bytes(long bytes) {
        return new MemorySize(BigInteger.valueOf(bytes));
    }
}
