package dev.bedrocktenant.usage;

import java.io.IOException;
import java.util.Map;

import dev.bedrocktenant.wire.BedrockHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * InvokeModel: the body is the model's own format, so Bedrock reports the tokens (and the served tier) in
 * response headers instead. The headers give only the total of cache writes: when there were any, the body is
 * read for Anthropic's split of them by TTL ({@link AnthropicCacheCreation}); otherwise it is not looked at.
 */
final class InvokeModelUsageReader extends ResponseUsageReader {

    static final String INPUT = "X-Amzn-Bedrock-Input-Token-Count";
    static final String OUTPUT = "X-Amzn-Bedrock-Output-Token-Count";
    static final String CACHE_READ = "X-Amzn-Bedrock-Cache-Read-Input-Token-Count";
    static final String CACHE_WRITE = "X-Amzn-Bedrock-Cache-Write-Input-Token-Count";

    private static final TokenFieldNames HEADERS = new TokenFieldNames(INPUT, OUTPUT, CACHE_READ, CACHE_WRITE);

    /** Reading the body for the cache writes' split; null when there is nothing to split. */
    private AnthropicCacheCreation cacheCreation;

    @Override
    void readHeaders(MultiMap headers) {
        outputNow(); // the body is the whole answer: a success has used tokens, whatever its headers say
        TokenCounts counts = new TokenCounts(HEADERS);
        // Compared ignoring case ourselves: HTTP names are case-insensitive whatever map is passed.
        for (Map.Entry<String, String> header : headers) {
            for (String name : new String[] {INPUT, OUTPUT, CACHE_READ, CACHE_WRITE}) {
                if (name.equalsIgnoreCase(header.getKey())) {
                    counts.put(name, count(name, header.getValue()));
                }
            }
            if (BedrockHeaders.SERVICE_TIER.equalsIgnoreCase(header.getKey())) {
                ServedTier.fromHeader(header.getValue()).ifPresent(this::served);
            }
        }
        TokenUsage usage = counts.toUsage();
        reported(usage);
        if (usage.cacheWriteTokens().orElse(0) > 0) {
            cacheCreation = new AnthropicCacheCreation(AnthropicCacheCreation.IN_BODY);
        }
    }

    private static long count(String name, String value) {
        try {
            long count = Long.parseLong(value.trim());
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MalformedUsage(name + " is not a token count: '" + value + "'");
    }

    /** A body that is not JSON, or not Anthropic's, stops the reading without a split: its writes stay five-minute ones. */
    @Override
    void readBody(Buffer bytes) {
        if (cacheCreation == null) {
            return;
        }
        try {
            cacheCreation.feed(bytes.getBytes(), 0, bytes.length());
        } catch (IOException e) {
            cacheCreation = null;
            return;
        }
        if (cacheCreation.found().isPresent()) {
            reported(usage().split(cacheCreation.found().get()));
            cacheCreation = null;
        }
    }
}
