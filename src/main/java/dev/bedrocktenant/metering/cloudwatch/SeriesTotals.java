package dev.bedrocktenant.metering.cloudwatch;

import java.util.OptionalLong;

import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/**
 * What one (tenant, model) series saw during one flush interval. Several event loops may add to the
 * same series at once; each add is a few field updates under the series' own monitor, never I/O.
 */
final class SeriesTotals {

    /** Counts tokens but Bedrock does not bill them (docs/reference.md §7): a request, not usage. */
    static final String COUNT_TOKENS = "CountTokens";

    /** Successful (2xx) requests, as AWS/Bedrock's Invocations; also the latency samples. */
    final LongStat invocations = new LongStat();
    final LongStat latencyNanos = new LongStat();
    final LongStat throttles = new LongStat();
    final LongStat clientErrors = new LongStat();
    final LongStat serverErrors = new LongStat();
    final LongStat inputTokens = new LongStat();
    final LongStat outputTokens = new LongStat();
    final LongStat cacheReadTokens = new LongStat();
    final LongStat cacheWriteTokens = new LongStat();
    /** Cost of each request that used tokens. */
    final DecimalStat costUsd = new DecimalStat();

    synchronized void add(Usage usage) {
        if (usage.status() >= 200 && usage.status() < 300) {
            // a stream broken after its 200 is both: Bedrock served it, and the app saw it fail
            invocations.add(1);
            latencyNanos.add(usage.latency().toNanos());
        }
        if (usage.outcome() == Outcome.THROTTLED) {
            throttles.add(1);
        } else if (usage.outcome() == Outcome.CLIENT_ERROR || usage.outcome() == Outcome.REJECTED) {
            // the proxy's own refusals are client errors from the application's point of view
            clientErrors.add(1);
        } else if (usage.outcome() == Outcome.SERVER_ERROR) {
            serverErrors.add(1);
        }
        TokenUsage tokens = usage.tokens();
        // as AWS/Bedrock: token samples for requests that used tokens, not a sample of 0 per refusal or error
        if (tokens.anyUsed() && !COUNT_TOKENS.equals(usage.operation())) {
            add(inputTokens, tokens.inputTokens());
            add(outputTokens, tokens.outputTokens());
            add(cacheReadTokens, tokens.cacheReadTokens());
            add(cacheWriteTokens, tokens.cacheWriteTokens());
            costUsd.add(usage.costUsd());
        }
    }

    private static void add(LongStat stat, OptionalLong value) {
        // "not reported" is not zero: it adds no sample at all
        value.ifPresent(stat::add);
    }
}
