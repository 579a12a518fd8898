package dev.bedrocktenant.tenant;

import dev.bedrocktenant.proxy.InboundRequest;
import dev.bedrocktenant.proxy.ProxyRefusal;
import jakarta.enterprise.context.ApplicationScoped;

/** STUB — being implemented (CONTRACT §3). */
@ApplicationScoped
public class TenantIdentifier {

    /** @throws ProxyRefusal AccessDenied when no tenant matches (and unknown-tenant=reject), tags are ambiguous, or a signature is wrong */
    public Identity identify(InboundRequest request) {
        throw ProxyRefusal.accessDenied("not implemented");
    }

    /** True for the tenant header and tag headers, which the proxy strips before forwarding. */
    public boolean isTenantHeader(String headerName) {
        return false;
    }
}
