package dev.bedrocktenant.budget.notify;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/** A Vert.x HTTP server of its own on 127.0.0.1, for the fakes of AWS endpoints and receivers. */
public final class LocalHttpServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    /** @param port 0: a free one */
    public LocalHttpServer(int port, Handler<HttpServerRequest> handler) {
        server = await(vertx.createHttpServer().requestHandler(handler).listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture());
    }

    public String origin() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() {
        await(vertx.close().toCompletionStage().toCompletableFuture());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
