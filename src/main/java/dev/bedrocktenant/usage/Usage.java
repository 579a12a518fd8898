package dev.bedrocktenant.usage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One finished request, as every sink sees it: Prometheus, CloudWatch and the usage ledger all
 * receive this record and nothing else.
 *
 * @param requestId         Bedrock's x-amzn-RequestId, or the proxy's own id for a request that never reached Bedrock
 * @param tenant            the tenant id; for a request refused before it was identified, the tenant its tenant
 *                          header names if the tenants file has it; else {@link #UNKNOWN_TENANT}
 * @param model             the model id as the application asked for it, or {@link #NO_MODEL} when it names none
 *                          (or its path cannot be read)
 * @param profileArn        the application inference profile the request went to, when it went to one
 * @param operation         the AWS operation name (Converse, ConverseStream, …), or {@link #UNKNOWN_OPERATION}
 * @param tokens            what the request used: known counts, zero, or unknown ({@link TokenUsage} has the rule)
 * @param costUsd           exact cost of the tokens; zero when unpriced
 * @param priced            false when no price was known for the model (counted as unpriced)
 * @param status            the HTTP status returned to the application
 * @param partial           the response was cut off (client gone, upstream failure) or ended by an exception event,
 *                          or its tokens are unknown: tokens are what was known
 * @param timeToFirstToken  streams only: from request start to the first content event
 * @param serviceTier       the service tier Bedrock says it served the request in, as it spells it; empty where it
 *                          did not say (and for requests that never reached Bedrock)
 * @param tierPriced        false when the model is priced but has no prices for that tier: the cost is at its
 *                          default-tier prices
 */
public record Usage(Instant timestamp,
                    String requestId,
                    String tenant,
                    String model,
                    Optional<String> profileArn,
                    String operation,
                    TokenUsage tokens,
                    BigDecimal costUsd,
                    boolean priced,
                    int status,
                    Outcome outcome,
                    boolean partial,
                    Duration latency,
                    Optional<Duration> timeToFirstToken,
                    Optional<String> serviceTier,
                    boolean tierPriced) {

    /** A request Bedrock named no service tier for. */
    public Usage(Instant timestamp, String requestId, String tenant, String model, Optional<String> profileArn,
                 String operation, TokenUsage tokens, BigDecimal costUsd, boolean priced, int status, Outcome outcome,
                 boolean partial, Duration latency, Optional<Duration> timeToFirstToken) {
        this(timestamp, requestId, tenant, model, profileArn, operation, tokens, costUsd, priced, status, outcome,
                partial, latency, timeToFirstToken, Optional.empty(), true);
    }

    /** Tenant label of requests whose tenant could not be established (never a valid tenant id). */
    public static final String UNKNOWN_TENANT = "_unknown";
    /** Model label of operations that name no model (guardrails, async-invoke status). */
    public static final String NO_MODEL = "_none";
    /** Operation label of requests that name no Bedrock Runtime operation (unknown operation, malformed path). */
    public static final String UNKNOWN_OPERATION = "Unknown";
}
