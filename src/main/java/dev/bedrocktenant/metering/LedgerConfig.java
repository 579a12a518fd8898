package dev.bedrocktenant.metering;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where and how the usage ledger is written (CONTRACT §5, §8). */
@ConfigMapping(prefix = "proxy.ledger")
public interface LedgerConfig {

    /** Directory of the day files ({@code usage-YYYY-MM-DD.jsonl}); created at start-up. */
    @WithDefault("usage-ledger")
    String dir();

    /**
     * How often written lines are forced to the disk (fsync). Lines survive a crash of the process as soon
     * as they are written; this bounds what a power loss can take. {@code 0s} forces before every
     * acknowledgement (slower, power-loss safe).
     */
    @WithDefault("1s")
    Duration fsyncInterval();

    /** Lines waiting for the writer before appends are refused (and counted as dropped). */
    @WithDefault("100000")
    int maxQueuedLines();
}
