package dev.bedrocktenant.metering.ledger;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where and how the usage ledger is written (docs/reference.md §4, §7). */
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

    /**
     * Group commit: after a write, the writer gathers the lines that arrive for this long and writes them
     * together. A line arriving at an idle writer is written at once; under load, a response's last bytes
     * wait up to this long, and the writer wakes once per interval instead of once per request.
     * {@code 0s} writes every line as soon as it arrives.
     */
    @WithDefault("5ms")
    Duration commitInterval();

    /** Longest a response's final bytes wait for its ledger line; past it they go, and it is counted. */
    @WithDefault("5s")
    Duration maxWait();

    /**
     * Size of the crash journal ({@code ledger-journal.ring} in the directory; a power of two from 64K to 1G):
     * a memory-mapped ring that a finished request's line is copied into, so it survives a kill of the process
     * without the request waiting for the writer. The writer moves its lines to the day files once per
     * {@code fsync-interval}, just before it forces them, or as soon as the journal is a quarter full; a line
     * that finds it full takes the queue and its response waits for the write. {@code 0} turns it off (every
     * response waits); it is off too when {@code fsync-interval} is {@code 0s}. Small on purpose: 1M holds
     * some 2600 lines, and a ring that wraps every few seconds keeps its pages writable, where a large one
     * would take a page fault on the event loop after each kernel writeback.
     */
    @WithDefault("1M")
    MemorySize journalSize();

    /** Lines waiting for the writer before appends are refused (and counted as dropped). */
    @WithDefault("100000")
    int maxQueuedLines();
}
