package dev.bedrocktenant.profile;

import dev.bedrocktenant.proxy.BedrockOperation;
import dev.bedrocktenant.proxy.ProxyRefusal;
import dev.bedrocktenant.tenant.Tenant;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** STUB — being implemented (CONTRACT §4). */
@ApplicationScoped
public class ProfileResolver {

    /** Fails with ProxyRefusal AccessDenied for a disallowed or unmapped model (unmapped-model=reject). */
    public Uni<ModelTarget> resolve(Tenant tenant, BedrockOperation operation, String requestedModelId) {
        return Uni.createFrom().failure(ProxyRefusal.accessDenied("not implemented"));
    }
}
