package dev.bedrocktenant.admin;

import java.util.UUID;

import dev.bedrocktenant.proxy.ListenerExposure;
import dev.bedrocktenant.wire.BedrockErrorResponse;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * On a listener bound beyond loopback, what is not Bedrock traffic — the admin API and the Prometheus text —
 * answers only callers with the admin token, and nobody while no token is set: there, whoever reaches the
 * port is not known to be the application beside the proxy. Health stays open for probes (it tells only
 * UP or DOWN). On loopback nothing changes: each admin route checks the token itself, when one is set.
 */
@ApplicationScoped
public class AdminGate {

    private static final Logger LOG = Logger.getLogger(AdminGate.class);
    /** Before every route Quarkus or the proxy registers. */
    private static final int FIRST = Integer.MIN_VALUE + 100;

    void register(@Observes Router router, ListenerExposure exposure, AdminConfig config,
                  @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path", defaultValue = "/metrics") String metricsPath) {
        if (!exposure.beyondLoopback()) {
            return;
        }
        BearerToken token = new BearerToken(config.token());
        if (token.open()) {
            LOG.warnf("the admin API and %s are refused: the listener is bound beyond loopback (quarkus.http.host=%s)"
                    + " and proxy.admin.token is not set", metricsPath, exposure.host());
        }
        router.route("/admin/*").order(FIRST).handler(ctx -> guard(ctx, token, exposure.host()));
        router.route(metricsPath).order(FIRST).handler(ctx -> guard(ctx, token, exposure.host()));
    }

    private static void guard(RoutingContext ctx, BearerToken token, String host) {
        if (token.open()) {
            refuse(ctx, "the listener is bound beyond loopback (quarkus.http.host=" + host + "): the admin API and"
                    + " metrics need proxy.admin.token (PROXY_ADMIN_TOKEN) to be set, and sent as"
                    + " 'Authorization: Bearer <token>'");
        } else if (!token.permits(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            refuse(ctx, "the listener is bound beyond loopback: the admin API and metrics need"
                    + " 'Authorization: Bearer <proxy.admin.token>'");
        } else {
            ctx.next();
        }
    }

    private static void refuse(RoutingContext ctx, String message) {
        String requestId = UUID.randomUUID().toString();
        LOG.warnf("admin request denied requestId=%s path=%s remote=%s", requestId, ctx.request().path(),
                ctx.request().remoteAddress());
        ctx.request().resume();
        BedrockErrorResponse.send(ctx.response(), ProxyRefusal.accessDenied(message), requestId);
    }
}
