package dev.bedrocktenant.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.pricing.PricedCost;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/** Builds the {@link Usage} of a call from what the pipeline knew about it when it ended. */
final class CallUsage {

    /** The cost of using no tokens: zero, and nothing left unpriced. */
    private static final PricedCost NOTHING = new PricedCost(BigDecimal.ZERO, true);

    private CallUsage() {
    }

    /**
     * A request the proxy answered itself: no tokens used, nothing to price.
     *
     * @param clientGone the application hung up while the proxy was still working on it
     */
    static Usage refused(MeteredCall call, int status, boolean clientGone) {
        return of(call, call.requestId(), status, Outcome.ofProxyRefusal(status), TokenUsage.NONE, NOTHING,
                clientGone, OptionalLong.empty(), Optional.empty());
    }

    /** @param servedTier the service tier Bedrock says it served the call in, where it says */
    static Usage of(MeteredCall call, String requestId, int status, Outcome outcome, TokenUsage tokens,
                    PricedCost cost, boolean partial, OptionalLong firstTokenNanos, Optional<String> servedTier) {
        long now = System.nanoTime();
        Optional<Duration> ttft = firstTokenNanos.isPresent()
                ? Optional.of(Duration.ofNanos(firstTokenNanos.getAsLong() - call.startNanos()))
                : Optional.empty();
        // milliseconds are all any sink keeps, and Instant.now() makes a native call for the nanoseconds
        return new Usage(Instant.ofEpochMilli(System.currentTimeMillis()), requestId, call.tenant(), call.model(),
                call.profileArn(), call.operation(), tokens, cost.usd(), cost.priced(), status, outcome, partial,
                Duration.ofNanos(now - call.startNanos()), ttft, servedTier, cost.tierPriced());
    }
}
