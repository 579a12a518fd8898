package dev.bedrocktenant.usage;

import io.vertx.core.buffer.Buffer;

/**
 * For operations that bill no tokens: CountTokens (free, counted as a request only), the
 * guardrail operations (billed in policy units, not tokens) and the async-invoke ones (the
 * tokens are used later, outside this response). Their bodies are not even looked at.
 */
final class NoUsage extends ResponseUsageReader {

    @Override
    void readBody(Buffer bytes) {
        // nothing to read: the usage stays not reported
    }
}
