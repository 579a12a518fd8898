package dev.bedrocktenant.tenant;

/**
 * The tenants file cannot be used as a whole. The message says where (tenant, field) and why, and
 * never contains a secret, so it can be logged as is.
 */
public final class InvalidTenantsFile extends RuntimeException {

    public InvalidTenantsFile(String message) {
        super(message, null, false, false);
    }
}
