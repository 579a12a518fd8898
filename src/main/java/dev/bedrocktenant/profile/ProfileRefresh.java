package dev.bedrocktenant.profile;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Refreshes the profile catalog in the background: once right after start-up (start-up does not wait,
 * requests meanwhile look up what they miss) and then every refresh-interval. The first refresh starts on a
 * worker thread: creating the control-plane client and its first call cost a quarter of the start-up
 * thread's CPU (class loading, mostly), which readiness need not wait for.
 */
@ApplicationScoped
public class ProfileRefresh {

    private static final Logger LOG = Logger.getLogger(ProfileRefresh.class);

    private final ProfilesConfig config;
    private final Vertx vertx;
    private final ProfileCatalog catalog;
    private long timerId = -1;

    public ProfileRefresh(ProfilesConfig config, Vertx vertx, ProfileCatalog catalog) {
        this.config = config;
        this.vertx = vertx;
        this.catalog = catalog;
    }

    void onStart(@Observes StartupEvent event) {
        if (!catalog.enabled()) {
            return;
        }
        vertx.executeBlocking(catalog::refresh, false)
                .onFailure(e -> LOG.errorf("profile discovery could not start: %s", e.toString()));
        timerId = vertx.setPeriodic(Math.max(1000, config.refreshInterval().toMillis()), id -> catalog.refresh());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }
}
