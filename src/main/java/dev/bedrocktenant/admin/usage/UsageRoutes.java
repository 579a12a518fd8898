package dev.bedrocktenant.admin.usage;

import java.time.Clock;

import dev.bedrocktenant.admin.AdminConfig;
import dev.bedrocktenant.admin.BearerToken;
import dev.bedrocktenant.metering.ledger.LedgerReader;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import dev.bedrocktenant.proxy.ListenerExposure;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Mounts the admin API on the proxy's listener. */
@ApplicationScoped
public class UsageRoutes {

    public static final String USAGE_PATH = "/admin/usage";

    private static final Logger LOG = Logger.getLogger(UsageRoutes.class);

    void register(@Observes Router router, Vertx vertx, LedgerReader reader, UsageLedger ledger, AdminConfig config,
                  ListenerExposure exposure) {
        BearerToken token = new BearerToken(config.token());
        if (token.open() && !exposure.beyondLoopback()) { // beyond loopback, the AdminGate refuses it instead
            LOG.warn("admin API open: proxy.admin.token is not set, anyone reaching the listener may read usage, profiles"
                    + " and limits; limit resets are refused until it is set");
        }
        router.get(USAGE_PATH).handler(new UsageHandler(vertx, reader, ledger::caughtUp, token, Clock.systemUTC()));
    }
}
