package dev.bedrocktenant.simulator;

import java.util.concurrent.TimeUnit;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Runs the built-in simulator inside the proxy when {@code proxy.simulator.enabled=true} (demo and
 * test profiles). Start-up waits until it listens, so the proxy never forwards to a port not yet open.
 */
@ApplicationScoped
public class SimulatorLifecycle {

    private static final Logger LOG = Logger.getLogger(SimulatorLifecycle.class);

    private final SimulatorConfig config;
    private final Vertx vertx;
    private final SimulatorJournal journal;
    private BedrockSimulator simulator;

    public SimulatorLifecycle(SimulatorConfig config, Vertx vertx, SimulatorJournal journal) {
        this.config = config;
        this.vertx = vertx;
        this.journal = journal;
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        if (!config.enabled()) {
            return;
        }
        simulator = new BedrockSimulator(vertx, config.host(), config.port(), config.accessKeyId(),
                config.secretAccessKey(), journal);
        int port = simulator.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("Bedrock simulator listening on http://%s:%d", config.host(), port);
    }

    void onStop(@Observes ShutdownEvent event) throws Exception {
        if (simulator != null) {
            simulator.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            simulator = null;
        }
    }

    /** The running simulator, or null when disabled. */
    public BedrockSimulator simulator() {
        return simulator;
    }
}
