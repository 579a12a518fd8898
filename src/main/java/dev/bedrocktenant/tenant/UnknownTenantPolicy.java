package dev.bedrocktenant.tenant;

import java.util.Optional;

/**
 * What happens to a request no tenant claims: {@code reject}, or {@code default:<tenant>} to account
 * it to that tenant.
 *
 * @param defaultTenant empty for reject
 */
public record UnknownTenantPolicy(Optional<String> defaultTenant) {

    public static final UnknownTenantPolicy REJECT = new UnknownTenantPolicy(Optional.empty());

    private static final String DEFAULT = "default:";

    /** @throws IllegalArgumentException for anything but the two forms, so a typo fails start-up */
    public static UnknownTenantPolicy parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.equals("reject")) {
            return REJECT;
        }
        if (v.startsWith(DEFAULT) && !v.substring(DEFAULT.length()).isBlank()) {
            return new UnknownTenantPolicy(Optional.of(v.substring(DEFAULT.length()).trim()));
        }
        throw new IllegalArgumentException("proxy.unknown-tenant must be 'reject' or 'default:<tenant>', not '"
                + value + "'");
    }
}
