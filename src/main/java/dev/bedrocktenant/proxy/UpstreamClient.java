package dev.bedrocktenant.proxy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.bedrocktenant.wire.ProxyRefusal;
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
 * The connection pool to Bedrock Runtime: keep-alive, TLS for https endpoints, connect and idle
 * timeouts. Bodies are passed through as bytes (no decompression) so the client gets exactly what
 * Bedrock sent.
 */
@ApplicationScoped
public class UpstreamClient {

    private final HttpClient client;
    private final URI endpoint;
    private final long idleTimeoutMillis;

    public UpstreamClient(Vertx vertx, UpstreamConfig config) {
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
                .setMaxPoolSize(config.upstream().maxConnections())
                .setConnectTimeout((int) config.upstream().connectTimeout().toMillis())
                .setDecompressionSupported(false);
        this.client = vertx.createHttpClient(options);
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
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method()))
                .setURI(uri)
                .setIdleTimeout(idleTimeoutMillis);
        return client.request(options)
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
        client.close();
    }
}
