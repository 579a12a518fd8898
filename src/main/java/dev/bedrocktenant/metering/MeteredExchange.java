package dev.bedrocktenant.metering;

import java.util.Optional;

import dev.bedrocktenant.pricing.PriceTable;
import dev.bedrocktenant.stream.RelayObserver;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import dev.bedrocktenant.usage.UsageExtractor;
import dev.bedrocktenant.wire.BedrockErrorResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Meters one relayed response: feeds the bytes to the operation's usage extractor as they pass,
 * and records the usage exactly once — before the final bytes leave when the response completes,
 * or as partial when either side broke off. Tokens used but never read are recorded as unknown, partial,
 * and counted as unreadable.
 */
final class MeteredExchange implements RelayObserver {

    private final MeteredCall call;
    private final UsageExtractor extractor;
    private final PriceTable prices;
    private final UsageRecorder recorder;
    private int status;
    private String requestId;
    private boolean recorded;

    MeteredExchange(MeteredCall call, UsageExtractor extractor, PriceTable prices, UsageRecorder recorder) {
        this.call = call;
        this.extractor = extractor;
        this.prices = prices;
        this.recorder = recorder;
        this.requestId = call.requestId();
    }

    @Override
    public void onHeaders(HttpClientResponse upstream) {
        status = upstream.statusCode();
        String bedrockId = upstream.getHeader(BedrockErrorResponse.REQUEST_ID_HEADER);
        if (bedrockId != null) {
            requestId = bedrockId;
        }
        extractor.onHeaders(status, upstream.headers());
    }

    @Override
    public void onBytes(Buffer bytes) {
        extractor.onBytes(bytes);
    }

    @Override
    public Future<Void> beforeCompletion() {
        // The response goes out whether or not the ledger confirmed in time (that is counted).
        Optional<Outcome> failure = streamException();
        return failure.isPresent() ? record(true, failure.get()) : record(false, Outcome.ofBedrockStatus(status));
    }

    @Override
    public void onEnd(End end) {
        if (end == End.CLIENT_GONE) {
            // a client that hung up on an exception event saw that failure, not a success cut short
            record(true, streamException().orElse(Outcome.ofBedrockStatus(status)));
        } else if (end == End.UPSTREAM_FAILED) {
            record(true, Outcome.SERVER_ERROR);
        }
    }

    /** The failure an exception event relayed, which ends a stream early after its 200. */
    private Optional<Outcome> streamException() {
        return extractor.streamException()
                .map(type -> type.equals("throttlingException") ? Outcome.THROTTLED : Outcome.SERVER_ERROR);
    }

    private Future<Void> record(boolean cutOff, Outcome outcome) {
        if (recorded) {
            return Future.succeededFuture();
        }
        recorded = true;
        TokenUsage tokens = TokenUsage.used(extractor.usage(), extractor.outputProduced());
        boolean unknown = !tokens.reported();
        if (extractor.unreadable() || unknown) {
            recorder.countUnreadableUsage(call.tenant(), call.model());
        }
        Optional<String> servedTier = extractor.servedTier();
        Usage usage = CallUsage.of(call, requestId, status, outcome, tokens,
                prices.costOf(call.pricedModel(), tokens, servedTier), cutOff || unknown, extractor.firstTokenNanos(),
                servedTier);
        call.reservation().settle(usage);
        return recorder.record(usage);
    }
}
