package dev.bedrocktenant.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a request body in full, up to a cap. The whole body is needed anyway: SigV4 signs its
 * hash. The cap is checked against Content-Length before reading, and again while reading for
 * chunked uploads, so an oversized body never fills memory.
 */
final class RequestBody {

    private RequestBody() {
    }

    static Future<Buffer> read(HttpServerRequest request, long maxBytes) {
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return Future.failedFuture(ProxyRefusal.validation("Content-Length is not a number"));
            }
            if (length > maxBytes) {
                return Future.failedFuture(tooLarge(length, maxBytes));
            }
        }
        Promise<Buffer> body = Promise.promise();
        Buffer collected = Buffer.buffer();
        request.handler(chunk -> {
            if (collected.length() + chunk.length() > maxBytes) {
                request.pause();
                // The rest of the upload is never read: once refused, the connection cannot be reused.
                request.response().endHandler(v -> {
                    if (request.version() != HttpVersion.HTTP_2) {
                        request.connection().close();
                    }
                });
                body.tryFail(tooLarge(collected.length() + chunk.length(), maxBytes));
                return;
            }
            collected.appendBuffer(chunk);
        });
        request.endHandler(v -> body.tryComplete(collected));
        request.exceptionHandler(body::tryFail);
        request.resume();
        return body.future();
    }

    private static ProxyRefusal tooLarge(long length, long maxBytes) {
        return ProxyRefusal.validation("request body of " + length + " bytes exceeds the proxy's limit of "
                + maxBytes + " bytes (proxy.upstream.max-request-body)");
    }
}
