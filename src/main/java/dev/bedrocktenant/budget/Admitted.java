package dev.bedrocktenant.budget;

import java.util.Map;

/**
 * A request let through: what it holds of its tenant's limits, and the rate-limit headers its response carries.
 */
public record Admitted(Reservation reservation, Map<String, String> headers) {

    /** A tenant with no limits and no budget. */
    public static final Admitted UNLIMITED = new Admitted(Reservation.NONE, Map.of());
}
