package dev.bedrocktenant.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantConfig;
import dev.bedrocktenant.tenant.TenantDirectory;
import dev.bedrocktenant.tenant.Tenants;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Warns, once, of each tenants-file mapping that the proxy will not use because its profile routes wider
 * than the model id it is mapped from (a bare model id mapped to a cross-Region profile, {@code eu.…} to a
 * profile in the US): checked when the tenants file or the account's listing changes. Requests are never
 * sent there; this tells the operator why they are refused or go elsewhere.
 */
@ApplicationScoped
public class TenantsFileRoutingCheck {

    private static final Logger LOG = Logger.getLogger(TenantsFileRoutingCheck.class);

    private final TenantDirectory tenants;
    private final ProfileCatalog catalog;
    private final Vertx vertx;
    private final long intervalMillis;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private Tenants checkedTenants;
    private ProfileCatalog.RefreshState checkedListing;
    private long timerId = -1;

    public TenantsFileRoutingCheck(TenantDirectory tenants, ProfileCatalog catalog, Vertx vertx, TenantConfig config) {
        this.tenants = tenants;
        this.catalog = catalog;
        this.vertx = vertx;
        this.intervalMillis = Math.max(100, config.tenantsReloadInterval().toMillis());
    }

    void onStart(@Observes StartupEvent event) {
        if (catalog.enabled()) {
            timerId = vertx.setPeriodic(intervalMillis, id -> checkIfChanged());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /**
     * On the event loop, two reference comparisons while nothing changed. After a change the mappings are checked
     * on a worker: 10,000 tenants' take some 15 ms of CPU (bench/README.md, "Scale"), which would hold every
     * request on this event loop.
     */
    void checkIfChanged() {
        Tenants current = tenants.current();
        ProfileCatalog.RefreshState listing = catalog.refreshState();
        if (current == checkedTenants && listing == checkedListing) {
            return;
        }
        checkedTenants = current;
        checkedListing = listing;
        vertx.executeBlocking(() -> {
            refusedMappings(current.all(), catalog).stream().filter(warned::add).forEach(LOG::warn);
            return null;
        }, false).onFailure(e -> LOG.warnf("checking the tenants file's profile mappings failed: %s", e.toString()));
    }

    /** One sentence per mapping whose listed profile routes outside its model id's routing. */
    static List<String> refusedMappings(Iterable<Tenant> tenants, ProfileCatalog catalog) {
        List<String> refused = new ArrayList<>();
        for (Tenant tenant : tenants) {
            for (Map.Entry<String, String> mapping : tenant.profiles().entrySet()) {
                ModelId model = ModelId.parse(mapping.getKey());
                Routing routing = Routing.requestedBy(model, catalog.settings().region());
                catalog.listed(mapping.getValue()).filter(p -> !p.serves(routing)).ifPresent(p -> refused.add(
                        "tenants file: tenant " + tenant.id() + " maps " + mapping.getKey() + " to " + p.arn()
                                + ", which routes to " + new TreeSet<>(p.regions()) + "; a request for " + mapping.getKey()
                                + " may run only within " + routing + ", so this mapping is not used for it"
                                + " (only for model ids whose routing holds those Regions)"));
            }
        }
        return refused;
    }
}
