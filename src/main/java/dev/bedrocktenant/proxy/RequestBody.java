package dev.bedrocktenant.proxy;

import java.time.Duration;
import java.util.Optional;

import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a request body in full, up to a cap. The whole body is needed anyway: SigV4 signs its
 * hash. The cap is checked against Content-Length before reading, and again while reading for
 * chunked uploads, so an oversized body never fills memory.
 */
final class RequestBody {

    /**
     * How much of a refused upload is read and thrown away so that the client, which (over HTTP/1.1)
     * reads the answer only once it has sent everything, gets the ValidationException rather than a
     * broken pipe. Past this the connection is simply closed.
     */
    static final long MAX_DISCARDED_BYTES = 256L * 1024 * 1024;

    private RequestBody() {
    }

    /**
     * @param timeout longest the whole body may take: a body shorter than its Content-Length, or a client that
     *                stalls, would otherwise hold the request and its connection for as long as it likes
     */
    static Future<Buffer> read(Vertx vertx, HttpServerRequest request, long maxBytes, Duration timeout) {
        Promise<Buffer> body = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), expired -> {
            if (!body.future().isComplete() && request.version() != HttpVersion.HTTP_2) {
                // the rest of the body would be read as the next request: this connection is not reused
                closeAfterResponse(request);
            }
            body.tryFail(ProxyRefusal.validation("the request body did not arrive within " + timeout.toMillis()
                    + " ms (proxy.request.body-timeout): " + request.bytesRead() + " bytes received"
                    + Optional.ofNullable(request.getHeader("Content-Length")).map(n -> " of " + n).orElse("")));
        });
        read(request, maxBytes).onComplete(body);
        return body.future().onComplete(done -> vertx.cancelTimer(timer));
    }

    static Future<Buffer> read(HttpServerRequest request, long maxBytes) {
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return refuse(request, ProxyRefusal.validation("Content-Length is not a number"), 0);
            }
            if (length > maxBytes) {
                return refuse(request, tooLarge(length, maxBytes), 0);
            }
        }
        Promise<Buffer> body = Promise.promise();
        Buffer collected = Buffer.buffer();
        request.handler(chunk -> {
            if (collected.length() + chunk.length() > maxBytes) {
                refuse(request, tooLarge(collected.length() + chunk.length(), maxBytes), collected.length())
                        .onFailure(body::tryFail);
                return;
            }
            collected.appendBuffer(chunk);
        });
        request.endHandler(v -> body.tryComplete(collected));
        request.exceptionHandler(body::tryFail);
        request.resume();
        return body.future();
    }

    /** Refuses a request before reading its body, which is read away (HTTP/1.1); the connection is not reused. */
    static Future<Buffer> refuse(HttpServerRequest request, ProxyRefusal refusal) {
        return refuse(request, refusal, 0);
    }

    /** Fails with the refusal, and reads away the rest of the upload; the connection is not reused. */
    private static Future<Buffer> refuse(HttpServerRequest request, ProxyRefusal refusal, long alreadyRead) {
        if (request.version() != HttpVersion.HTTP_2) {
            // said in the answer, which may leave before the rest of the upload has been read away
            request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            long[] discarded = {alreadyRead};
            request.handler(chunk -> {
                discarded[0] += chunk.length();
                if (discarded[0] > MAX_DISCARDED_BYTES) {
                    request.connection().close();
                }
            });
            request.endHandler(v -> {
                if (request.response().ended()) {
                    request.connection().close();
                } else {
                    closeAfterResponse(request);
                }
            });
            request.resume();
        }
        return Future.failedFuture(refusal);
    }

    private static ProxyRefusal tooLarge(long length, long maxBytes) {
        return ProxyRefusal.validation("request body of " + length + " bytes exceeds the proxy's limit of "
                + maxBytes + " bytes (proxy.upstream.max-request-body)");
    }

    /**
     * Closes the connection once the response is sent, and says so in it: a client that kept the connection for its
     * next request (Java's HttpURLConnection does) would otherwise send it into a closed socket.
     */
    private static void closeAfterResponse(HttpServerRequest request) {
        if (!request.response().headWritten()) {
            request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        request.response().endHandler(ended -> request.connection().close());
    }
}
