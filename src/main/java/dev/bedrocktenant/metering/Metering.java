package dev.bedrocktenant.metering;

import dev.bedrocktenant.pricing.PriceTable;
import dev.bedrocktenant.stream.RelayObserver;
import dev.bedrocktenant.usage.Usage;
import dev.bedrocktenant.usage.UsageExtractors;
import dev.bedrocktenant.wire.BedrockOperation;
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
    public RelayObserver observe(MeteredCall call, BedrockOperation operation) {
        if (!enabled) {
            return RelayObserver.NONE;
        }
        return new MeteredExchange(call, UsageExtractors.forOperation(operation), prices, recorder);
    }

    /**
     * Records a call the proxy answered itself — also one that names no operation; completes when the ledger
     * has it (or gave up waiting).
     *
     * @param clientGone the application hung up before the proxy answered
     */
    public Future<Void> refused(MeteredCall call, int status, boolean clientGone) {
        if (!enabled) {
            return Future.succeededFuture();
        }
        Usage usage = CallUsage.refused(call, status, clientGone);
        call.reservation().settle(usage);
        return recorder.record(usage);
    }
}
