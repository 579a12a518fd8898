package dev.bedrocktenant.usage;

import java.nio.charset.StandardCharsets;

import dev.bedrocktenant.wire.BedrockOperation;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Reading the usage of one Converse response, as the relay does it: a fresh reader per response, the headers,
 * then the body as one chunk. The body is the shape of the A/B bench's (40 output tokens, all four counts).
 * Prints ns per response for each of 12 rounds of 2 million; bench/metering-micro.sh runs several JVMs.
 */
public final class ConverseScanBench {

    static final String BODY = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":"
            + "\"Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore"
            + " et dolore magna aliqua Ut enim ad minim veniam quis\"}]}},\"stopReason\":\"end_turn\","
            + "\"usage\":{\"inputTokens\":120,\"outputTokens\":40,\"totalTokens\":190,"
            + "\"cacheReadInputTokens\":30,\"cacheWriteInputTokens\":0},\"metrics\":{\"latencyMs\":1}}";

    public static void main(String[] args) {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
        long tokens = 0;
        for (int round = 0; round < 12; round++) {
            long n = 2_000_000;
            long start = System.nanoTime();
            for (long i = 0; i < n; i++) {
                UsageExtractor reader = UsageExtractors.forOperation(BedrockOperation.CONVERSE);
                reader.onHeaders(200, headers);
                reader.onBytes(Buffer.buffer(body));
                tokens += reader.usage().inputTokens().getAsLong();
            }
            System.out.printf("round %d: %.1f ns/op%n", round, (System.nanoTime() - start) / (double) n);
        }
        if (tokens != 12 * 2_000_000L * 120) {
            throw new AssertionError("usage misread: " + tokens);
        }
    }
}
