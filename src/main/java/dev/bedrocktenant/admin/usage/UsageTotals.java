package dev.bedrocktenant.admin.usage;

import java.math.BigDecimal;

import dev.bedrocktenant.metering.ledger.LedgerEntry;
import dev.bedrocktenant.usage.TokenUsage;
import io.vertx.core.json.JsonObject;

/**
 * Sums of one group of ledger entries. Counts a response did not report add nothing (they are unknown,
 * not zero); the cost is summed exactly.
 */
final class UsageTotals {

    private long requests;
    private long inputTokens;
    private long outputTokens;
    private long cacheReadTokens;
    private long cacheWriteTokens;
    private BigDecimal costUsd = BigDecimal.ZERO;
    private long partialRequests;

    void add(LedgerEntry entry) {
        TokenUsage tokens = entry.tokens();
        requests++;
        inputTokens += tokens.inputTokens().orElse(0);
        outputTokens += tokens.outputTokens().orElse(0);
        cacheReadTokens += tokens.cacheReadTokens().orElse(0);
        cacheWriteTokens += tokens.cacheWriteTokens().orElse(0);
        costUsd = costUsd.add(entry.costUsd());
        if (entry.partial()) {
            partialRequests++;
        }
    }

    /** Writes the sums into {@code json}, after whatever key fields it already holds. */
    JsonObject into(JsonObject json) {
        return json.put("requests", requests)
                .put("inputTokens", inputTokens)
                .put("outputTokens", outputTokens)
                .put("cacheReadTokens", cacheReadTokens)
                .put("cacheWriteTokens", cacheWriteTokens)
                .put("costUsd", costUsd.toPlainString())
                .put("partialRequests", partialRequests);
    }
}
