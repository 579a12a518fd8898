package dev.bedrocktenant.metering;

import java.util.Optional;

import dev.bedrocktenant.budget.Reservation;

/**
 * What metering needs to know of a call to put it on record: whom it is accounted to, which model it
 * asked for and what it is priced as, where it went, and since when it runs. The proxy hands it over
 * when it forwards or refuses the call.
 *
 * @param requestId   the proxy's own id; Bedrock's x-amzn-RequestId replaces it once Bedrock answers
 * @param startNanos  {@link System#nanoTime()} when the request arrived
 * @param tenant      the tenant id, or the tenant the headers name for a call refused before it was identified,
 *                    else {@code _unknown}
 * @param model       the model id as the application asked for it, or {@code _none}
 * @param pricedModel what the call is priced as: the model id of the routing it used
 * @param profileArn  the application inference profile it went to, when it went to one
 * @param operation   the AWS operation name, or {@code Unknown} for a path that names none
 * @param reservation what the call holds of its tenant's limits, settled with its usage
 */
public record MeteredCall(String requestId, long startNanos, String tenant, String model, String pricedModel,
                          Optional<String> profileArn, String operation, Reservation reservation) {
}
