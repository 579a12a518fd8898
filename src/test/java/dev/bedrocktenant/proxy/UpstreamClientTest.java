package dev.bedrocktenant.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each event loop forwards on connections of its own: no request crosses threads to reach Bedrock. */
class UpstreamClientTest {

    private Vertx vertx;
    private HttpServer upstream;
    /** upstream connection (the client's port) → the caller threads whose requests came over it */
    private final Map<Integer, Set<String>> callersByConnection = new ConcurrentHashMap<>();

    @BeforeEach
    void startUpstream() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        upstream = vertx.createHttpServer().requestHandler(request -> {
            callersByConnection.computeIfAbsent(request.remoteAddress().port(), port -> ConcurrentHashMap.newKeySet())
                    .add(request.getHeader("x-caller-thread"));
            request.response().end("{}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void callersOnTwoEventLoopsTakingTurnsEachForwardOnAConnectionOfTheirOwn() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, config("http://127.0.0.1:" + upstream.actualPort()));
        List<Context> loops = contextsOnTwoLoops();

        for (int turn = 0; turn < 6; turn++) {
            send(client, loops.get(turn % 2));
        }

        // One shared pool would have lent its one idle connection to both loops in turn.
        assertEquals(2, callersByConnection.size(), "upstream connections: " + callersByConnection);
        callersByConnection.values().forEach(callers -> assertEquals(1, callers.size(),
                "a connection used by the requests of several event loops: " + callersByConnection));
    }

    @Test
    void theConfiguredMaximumIsTheSidecarsTotalSharedOutAmongTheLoops() {
        assertEquals(50, UpstreamClient.perLoop(200, 4));
        assertEquals(67, UpstreamClient.perLoop(200, 3));
        assertEquals(1, UpstreamClient.perLoop(1, 4));
    }

    /** Verticles' contexts are dealt round the event loops: four instances cover both. */
    private List<Context> contextsOnTwoLoops() throws Exception {
        Map<String, Context> byThread = new ConcurrentHashMap<>();
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                byThread.putIfAbsent(Thread.currentThread().getName(), context);
            }
        }, new DeploymentOptions().setInstances(4)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(2, byThread.size(), "event loops of the verticles: " + byThread.keySet());
        return List.copyOf(byThread.values());
    }

    private static void send(UpstreamClient client, Context caller) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        caller.runOnContext(v -> {
            ForwardedRequest request = new ForwardedRequest("POST", "/model/m/converse", null,
                    Map.of("x-caller-thread", List.of(Thread.currentThread().getName())), Buffer.buffer("{}"));
            client.send(request, request.headers(), Promise.<Void>promise().future())
                    .compose(response -> response.body().map(body -> response.statusCode()))
                    .onComplete(result -> {
                        if (result.succeeded()) {
                            status.complete(result.result());
                        } else {
                            status.completeExceptionally(result.cause());
                        }
                    });
        });
        assertEquals(200, status.get(10, TimeUnit.SECONDS));
    }

    /** The real mapping, with its documented defaults; only the endpoint is this test's. */
    private static UpstreamConfig config(String url) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("proxy.upstream-url", url), "test", 100))
                .addDiscoveredConverters() // Quarkus's, for "5s" and "25M"
                .withMapping(UpstreamConfig.class)
                .build();
        return config.getConfigMapping(UpstreamConfig.class);
    }
}
