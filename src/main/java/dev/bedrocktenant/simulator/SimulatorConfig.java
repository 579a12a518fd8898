package dev.bedrocktenant.simulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The built-in Bedrock Runtime simulator: whether it runs, where, which SigV4 credentials it accepts, and how many
 * requests it remembers.
 */
@ConfigMapping(prefix = "proxy.simulator")
public interface SimulatorConfig {

    @WithDefault("false")
    boolean enabled();

    @WithDefault("127.0.0.1")
    String host();

    @WithDefault("8788")
    int port();

    @WithDefault("AKIASIMULATOR0000001")
    String accessKeyId();

    @WithDefault("simulator-secret-key")
    String secretAccessKey();

    /** How many requests {@link SimulatorJournal} remembers; 0 keeps none. */
    @WithDefault("10000")
    int journalSize();
}
