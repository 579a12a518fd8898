package dev.bedrocktenant.metering;

import dev.bedrocktenant.pricing.PriceTable;
import dev.bedrocktenant.proxy.ProxyCall;
import dev.bedrocktenant.stream.RelayObserver;
import dev.bedrocktenant.usage.Usage;
import dev.bedrocktenant.usage.UsageExtractors;
import io.vertx.core.Future;
import jakarta.inject.Singleton;

/**
 * The metering stage of the pipeline: every call, forwarded or refused, ends up on record once. It and the
 * beans it calls per request are {@code @Singleton}, not {@code @ApplicationScoped}: called directly rather than
 * through a client proxy that looks the instance up on every call (a measurable share of metering's cost).
 */
@Singleton
public class Metering {

    private final PriceTable prices;
    private final UsageRecorder recorder;
    private final boolean enabled;

    public Metering(PriceTable prices, UsageRecorder recorder, MeteringConfig config) {
        this.prices = prices;
        this.recorder = recorder;
        this.enabled = config.enabled();
    }

    /** Watches a forwarded call's response as it is relayed. Call on the event loop. */
    public RelayObserver observe(ProxyCall call) {
        if (!enabled) {
            return RelayObserver.NONE;
        }
        return new MeteredExchange(call, UsageExtractors.forOperation(call.operation()), prices, recorder);
    }

    /**
     * Records a call the proxy answered itself; completes when the ledger has it (or gave up waiting).
     *
     * @param tenant     whom it is accounted to: the call's tenant, or for a call refused before it was
     *                   identified, the tenant its headers name (else {@link Usage#UNKNOWN_TENANT})
     * @param clientGone the application hung up before the proxy answered
     */
    public Future<Void> refused(ProxyCall call, String tenant, int status, boolean clientGone) {
        if (!enabled) {
            return Future.succeededFuture();
        }
        return recorder.record(CallUsage.refused(call, tenant, status, clientGone));
    }

    /**
     * Records a request refused because it names no Bedrock Runtime operation (an unknown operation, a
     * path that cannot be read); its operation is {@link Usage#UNKNOWN_OPERATION}.
     *
     * @param model the model id its path names, or {@link Usage#NO_MODEL}
     */
    public Future<Void> refusedUnknownOperation(String requestId, long startNanos, String tenant, String model,
                                                int status) {
        if (!enabled) {
            return Future.succeededFuture();
        }
        return recorder.record(CallUsage.unknownOperation(requestId, startNanos, tenant, model, status));
    }
}
