package dev.bedrocktenant.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * A fake Amazon Bedrock Runtime (and the control plane's inference-profile operations) speaking the real wire formats (restJson1, AWS event streams, SigV4),
 * steered by {@code [[sim:…]]} directives in request bodies (see {@link SimulatorDirectives}). Runs
 * on its own Vert.x HTTP server, with or without Quarkus:
 *
 * <pre>{@code
 * BedrockSimulator sim = new BedrockSimulator(Vertx.vertx(), "127.0.0.1", 0, "AKIASIMULATOR0000001",
 *         "simulator-secret-key", new SimulatorJournal());
 * int port = sim.start().toCompletionStage().toCompletableFuture().get();
 * }</pre>
 */
public final class BedrockSimulator {

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final SimulatorRoutes routes;
    private final SimulatorJournal journal;
    private final SimulatedControlPlane controlPlane;
    private final AcceptedKeys keys;
    private HttpServer server;

    public BedrockSimulator(Vertx vertx, String host, int port, String accessKeyId, String secretAccessKey,
                            SimulatorJournal journal) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.journal = journal;
        this.keys = new AcceptedKeys(accessKeyId, secretAccessKey);
        this.controlPlane = new SimulatedControlPlane(keys);
        this.routes = new SimulatorRoutes(keys, journal, controlPlane);
    }

    /** Accepts one more access key from now on, as AWS accepts a role's temporary credentials once issued. */
    public void acceptKey(String accessKeyId, String secretAccessKey) {
        keys.accept(accessKeyId, secretAccessKey);
    }

    /** @return the port it listens on (the one chosen by the system when constructed with 0) */
    public synchronized Future<Integer> start() {
        if (server != null) {
            return Future.failedFuture(new IllegalStateException("the simulator is already started"));
        }
        HttpServer created = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
        server = created;
        return created.requestHandler(routes.router(vertx)).listen().map(HttpServer::actualPort);
    }

    public synchronized Future<Void> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        Future<Void> closed = server.close();
        server = null;
        return closed;
    }

    /** The bound port; -1 when not listening. */
    public synchronized int port() {
        return server == null ? -1 : server.actualPort();
    }

    public SimulatorJournal journal() {
        return journal;
    }

    /** The Bedrock control plane (inference profiles, tags) served on the same port. */
    public SimulatedControlPlane controlPlane() {
        return controlPlane;
    }
}
