package dev.bedrocktenant.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.pricing.PricedCost;
import dev.bedrocktenant.proxy.ProxyCall;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/** Builds the {@link Usage} of a call from what the pipeline knew about it when it ended. */
final class CallUsage {

    /** The cost of using no tokens: zero, and nothing left unpriced. */
    private static final PricedCost NOTHING = new PricedCost(BigDecimal.ZERO, true);

    private CallUsage() {
    }

    static String tenant(ProxyCall call) {
        return call.identity() == null ? Usage.UNKNOWN_TENANT : call.identity().tenant().id();
    }

    static String model(ProxyCall call) {
        return call.requestedModelId().orElse(Usage.NO_MODEL);
    }

    /** What the call is priced as: for an application profile named by the application, what it copies. */
    static String pricedModel(ProxyCall call) {
        return call.target() == null ? model(call) : call.target().pricedModelId();
    }

    static Usage of(ProxyCall call, String requestId, int status, Outcome outcome, TokenUsage tokens,
                    PricedCost cost, boolean partial, OptionalLong firstTokenNanos) {
        return of(call, tenant(call), requestId, status, outcome, tokens, cost, partial, firstTokenNanos);
    }

    /**
     * A request the proxy answered itself: no tokens used, nothing to price.
     *
     * @param tenant    whom it is accounted to (it may have been refused before it was identified)
     * @param clientGone the application hung up while the proxy was still working on it
     */
    static Usage refused(ProxyCall call, String tenant, int status, boolean clientGone) {
        return of(call, tenant, call.requestId(), status, Outcome.ofProxyRefusal(status), TokenUsage.NONE, NOTHING,
                clientGone, OptionalLong.empty());
    }

    /** A request refused because it names no Bedrock Runtime operation: no stage ran, so no call exists. */
    static Usage unknownOperation(String requestId, long startNanos, String tenant, String model, int status) {
        return new Usage(Instant.ofEpochMilli(System.currentTimeMillis()), requestId, tenant, model, Optional.empty(),
                Usage.UNKNOWN_OPERATION, TokenUsage.NONE, NOTHING.usd(), NOTHING.priced(), status,
                Outcome.ofProxyRefusal(status), false, Duration.ofNanos(System.nanoTime() - startNanos), Optional.empty());
    }

    private static Usage of(ProxyCall call, String tenant, String requestId, int status, Outcome outcome,
                            TokenUsage tokens, PricedCost cost, boolean partial, OptionalLong firstTokenNanos) {
        long now = System.nanoTime();
        Optional<Duration> ttft = firstTokenNanos.isPresent()
                ? Optional.of(Duration.ofNanos(firstTokenNanos.getAsLong() - call.startNanos()))
                : Optional.empty();
        // milliseconds are all any sink keeps, and Instant.now() makes a native call for the nanoseconds
        return new Usage(Instant.ofEpochMilli(System.currentTimeMillis()), requestId, tenant, model(call),
                call.target() == null ? Optional.empty() : call.target().profileArn(),
                call.operation().awsName, tokens, cost.usd(), cost.priced(), status, outcome, partial,
                Duration.ofNanos(now - call.startNanos()), ttft);
    }
}
