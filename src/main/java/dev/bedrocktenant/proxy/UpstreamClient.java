package dev.bedrocktenant.proxy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.bedrocktenant.wire.ProxyRefusal;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The connection pools to Bedrock Runtime: keep-alive, TLS for https endpoints, connect and idle
 * timeouts. Bodies are passed through as bytes (no decompression) so the client gets exactly what
 * Bedrock sent.
 * <p>
 * One pool per event loop, so that a request is forwarded on a connection of the thread that serves its
 * caller. Vert.x 4's pool lends any idle connection to any event loop (the most recently used one first); a
 * connection owned by another loop then costs each request two thread hand-offs, which on a sidecar's two
 * cores were much of what the proxy added to a kept-alive caller's median and tail (bench/README.md).
 */
@ApplicationScoped
public class UpstreamClient {

    private final Vertx vertx;
    private final HttpClientOptions options;
    /** By event-loop thread; their number is fixed at start. */
    private final Map<Thread, HttpClient> pools = new ConcurrentHashMap<>();
    /** For a send from a thread outside the event loops (none on the request path today). */
    private final HttpClient offLoop;
    private final URI endpoint;
    private final long idleTimeoutMillis;

    public UpstreamClient(Vertx vertx, UpstreamConfig config) {
        this.vertx = vertx;
        this.endpoint = config.upstreamUri();
        this.idleTimeoutMillis = config.upstream().idleTimeout().toMillis();
        boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(endpoint.getHost())
                .setDefaultPort(port(endpoint, tls))
                .setSsl(tls)
                .setKeepAlive(true)
                // the request's own idle timeout stops at the response's headers; this one also ends a stream
                // Bedrock falls silent in (and closes a pooled connection idle that long)
                .setIdleTimeout((int) idleTimeoutMillis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxPoolSize(perLoop(config.upstream().maxConnections(), eventLoops(vertx)))
                .setConnectTimeout((int) config.upstream().connectTimeout().toMillis())
                .setDecompressionSupported(false);
        this.options = options;
        this.offLoop = vertx.createHttpClient(options);
    }

    /** {@code proxy.upstream.max-connections} is the sidecar's total: each loop's pool gets its share. */
    static int perLoop(int maxConnections, int eventLoops) {
        return Math.max(1, (maxConnections + eventLoops - 1) / eventLoops);
    }

    private static int eventLoops(Vertx vertx) {
        int loops = 0;
        for (EventExecutor ignored : vertx.nettyEventLoopGroup()) {
            loops++;
        }
        return Math.max(1, loops);
    }

    private HttpClient pool() {
        if (!Context.isOnEventLoopThread()) {
            return offLoop;
        }
        // created on first use from this loop, so its connections are opened on (and stay with) this loop
        return pools.computeIfAbsent(Thread.currentThread(), loop -> vertx.createHttpClient(options));
    }

    /** scheme://host[:port] of Bedrock Runtime, as the signature names it. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Sends a signed request. The response future fails with a {@link ProxyRefusal} of kind
     * SERVICE_UNAVAILABLE when Bedrock cannot be reached or stays silent past the idle timeout.
     *
     * @param clientGone completes if the application disconnects first; the request is then cancelled
     */
    public Future<HttpClientResponse> send(ForwardedRequest request, Map<String, List<String>> signedHeaders,
                                           Future<Void> clientGone) {
        String uri = request.rawQuery() == null ? request.encodedPath()
                : request.encodedPath() + "?" + request.rawQuery();
        RequestOptions target = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method()))
                .setURI(uri)
                .setIdleTimeout(idleTimeoutMillis);
        return pool().request(target)
                .compose(upstream -> {
                    copyHeaders(signedHeaders, upstream);
                    clientGone.onComplete(v -> upstream.reset());
                    return upstream.send(request.body());
                })
                .recover(failure -> Future.failedFuture(unavailable(failure)));
    }

    private static void copyHeaders(Map<String, List<String>> headers, HttpClientRequest upstream) {
        headers.forEach((name, values) -> {
            // Vert.x writes Host from the endpoint; the signature covers the same value.
            if (!name.equalsIgnoreCase("Host")) {
                upstream.putHeader(name, values);
            }
        });
    }

    private ProxyRefusal unavailable(Throwable failure) {
        if (failure instanceof ProxyRefusal refusal) {
            return refusal;
        }
        String why = failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")
                ? "did not answer within " + idleTimeoutMillis + " ms"
                : "could not be reached (" + failure.getMessage() + ")";
        return ProxyRefusal.serviceUnavailable("Bedrock Runtime at " + endpoint + " " + why);
    }

    private static int port(URI uri, boolean tls) {
        return uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    }

    @PreDestroy
    void close() {
        pools.values().forEach(HttpClient::close);
        offLoop.close();
    }
}
