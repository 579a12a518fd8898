package dev.bedrocktenant.admin;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.bedrocktenant.profile.ProfileCatalog;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantDirectory;
import dev.bedrocktenant.wire.BedrockErrorResponse;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /admin/profiles[?tenant=T]}: each tenant's model → profile mapping and its source. When
 * proxy.admin.token is set, only with {@code Authorization: Bearer <token>}.
 */
@ApplicationScoped
public class ProfilesAdminRoute {

    static final String PATH = "/admin/profiles";

    private final TenantDirectory tenants;
    private final ProfileCatalog catalog;
    private final BearerToken token;

    public ProfilesAdminRoute(TenantDirectory tenants, ProfileCatalog catalog, AdminConfig config) {
        this.tenants = tenants;
        this.catalog = catalog;
        this.token = new BearerToken(config.token());
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String requestId = UUID.randomUUID().toString();
        if (!token.permits(ctx.request().getHeader("Authorization"))) {
            BedrockErrorResponse.send(ctx.response(), ProxyRefusal.accessDenied(
                    "the admin API needs 'Authorization: Bearer <proxy.admin.token>'"), requestId);
            return;
        }
        List<Tenant> selected = tenants.current().all();
        String tenant = ctx.request().getParam("tenant");
        if (tenant != null) {
            Optional<Tenant> one = tenants.current().byId(tenant);
            if (one.isEmpty()) {
                BedrockErrorResponse.send(ctx.response(), ProxyRefusal.validation("no tenant " + tenant
                        + " in the tenants file"), requestId);
                return;
            }
            selected = List.of(one.get());
        }
        ctx.response().putHeader("Content-Type", "application/json")
                .putHeader(BedrockErrorResponse.REQUEST_ID_HEADER, requestId)
                .end(ProfileMappings.of(selected, catalog).encodePrettily());
    }
}
