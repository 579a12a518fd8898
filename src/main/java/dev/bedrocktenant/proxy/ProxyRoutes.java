package dev.bedrocktenant.proxy;

import java.util.UUID;

import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Mounts the proxy on the HTTP listener. Bedrock Runtime's paths go to the {@link ProxyHandler};
 * a path nobody serves, or one the router cannot even parse (bad percent-encoding), is answered
 * with a ValidationException in Bedrock's shape rather than an empty 404/400, never forwarded, and metered
 * as every refusal is.
 */
@ApplicationScoped
public class ProxyRoutes {

    void register(@Observes Router router, ProxyHandler proxy) {
        for (String prefix : BedrockOperation.pathPrefixes()) {
            // "/guardrail*" also takes "/guardrail-checks/…": its own route would never be reached
            boolean covered = BedrockOperation.pathPrefixes().stream().anyMatch(p -> !p.equals(prefix) && prefix.startsWith(p));
            if (!covered) {
                router.route(prefix + "*").handler(proxy::handle);
            }
        }
        router.errorHandler(404, context -> proxy.refuseUnknownOperation(context.request(),
                ProxyRefusal.validation(context.request().method() + " " + context.request().path()
                        + " is not a Bedrock Runtime operation this proxy forwards"),
                UUID.randomUUID().toString(), System.nanoTime()));
        // an admin path with another method (also reached through "../" segments, which the router normalises)
        router.errorHandler(405, context -> proxy.refuseUnknownOperation(context.request(),
                ProxyRefusal.validation(context.request().method() + " " + context.request().path()
                        + " is not a Bedrock Runtime operation this proxy forwards"),
                UUID.randomUUID().toString(), System.nanoTime()));
        router.errorHandler(400, context -> proxy.refuseUnknownOperation(context.request(),
                ProxyRefusal.validation("the request path is malformed (invalid percent-encoding?)"),
                UUID.randomUUID().toString(), System.nanoTime()));
    }
}
