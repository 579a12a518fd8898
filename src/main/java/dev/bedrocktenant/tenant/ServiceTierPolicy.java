package dev.bedrocktenant.tenant;

import java.util.Optional;
import java.util.Set;

import dev.bedrocktenant.wire.BedrockHeaders;
import dev.bedrocktenant.wire.ProxyRefusal;

/**
 * Which Bedrock service tier a tenant's requests are sent with (tenants file {@code serviceTier}): its
 * application's own ({@code pass}, the default), always one tier ({@code flex}), or the application's own
 * if it is one of a list ({@code {allow: [default, flex]}}).
 *
 * @param forced  the tier every request is sent with, replacing the application's
 * @param allowed when present, the tiers the application may ask for; asking for none is asking for {@code default}
 */
public record ServiceTierPolicy(Optional<String> forced, Optional<Set<String>> allowed) {

    /** Bedrock's ServiceTierType values (bedrock-runtime 2023-09-30). */

    /** Bedrock serves a request that names no tier on this one. */
    public static final String BEDROCK_DEFAULT = "default";

    public static final ServiceTierPolicy PASS = new ServiceTierPolicy(Optional.empty(), Optional.empty());

    public static ServiceTierPolicy force(String tier) {
        return new ServiceTierPolicy(Optional.of(tier), Optional.empty());
    }

    public static ServiceTierPolicy allow(Set<String> tiers) {
        return new ServiceTierPolicy(Optional.empty(), Optional.of(Set.copyOf(tiers)));
    }

    /**
     * The tier to send upstream for a request that asked for {@code requested}; empty: send none.
     *
     * @throws ProxyRefusal AccessDeniedException when the tenant may not use the tier asked for
     */
    public Optional<String> tierFor(String tenantId, Optional<String> requested) {
        if (forced.isPresent()) {
            return forced;
        }
        if (allowed.isPresent()) {
            String asked = requested.orElse(BEDROCK_DEFAULT);
            if (!allowed.get().contains(asked)) {
                throw ProxyRefusal.accessDenied("tenant " + tenantId + " may not use service tier '" + asked + "'"
                        + (requested.isEmpty() ? " (what a request naming no tier gets)" : "")
                        + "; its serviceTier allows "
                        + String.join(", ", BedrockHeaders.SERVICE_TIERS.stream().filter(allowed.get()::contains).toList()));
            }
        }
        return requested;
    }

    /** True when the policy may change or refuse what the application sent. */
    public boolean constrains() {
        return forced.isPresent() || allowed.isPresent();
    }
}
