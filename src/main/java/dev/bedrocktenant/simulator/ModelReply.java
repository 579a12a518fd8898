package dev.bedrocktenant.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the simulated model "says" and what it reports using. Deterministic: the text is a fixed
 * phrase cut into {@code events} pieces; input tokens default to ceil(request body bytes / 4),
 * output tokens to the number of pieces; cache tokens are only reported when a directive sets them.
 * Total tokens = input + output + cache read + cache write. With one-hour cache writes set, the writes are
 * split by TTL: that many one-hour ones, the rest five-minute ones.
 */
record ModelReply(List<String> deltas, int inputTokens, int outputTokens, OptionalInt cacheRead,
                  OptionalInt cacheWrite, OptionalInt cacheWrite1h) {

    private static final String[] WORDS = {"Hello", " from", " the", " Bedrock", " simulator", "."};

    static ModelReply of(SimulatorDirectives d, int requestBodyBytes) {
        List<String> deltas = new ArrayList<>();
        for (int i = 0; i < d.events(); i++) {
            deltas.add(WORDS[i % WORDS.length]);
        }
        return new ModelReply(List.copyOf(deltas), d.inputTokens().orElse(defaultInputTokens(requestBodyBytes)),
                d.outputTokens().orElse(d.events()), d.cacheRead(),
                d.cacheWrite().isPresent() ? d.cacheWrite() : d.cacheWrite1h(), d.cacheWrite1h());
    }

    static int defaultInputTokens(int requestBodyBytes) {
        return (requestBodyBytes + 3) / 4;
    }

    String text() {
        return String.join("", deltas);
    }

    int totalTokens() {
        return inputTokens + outputTokens + cacheRead.orElse(0) + cacheWrite.orElse(0);
    }

    /** The Converse / ConverseStream {@code TokenUsage} shape. */
    JsonObject converseUsage() {
        JsonObject usage = new JsonObject()
                .put("inputTokens", inputTokens)
                .put("outputTokens", outputTokens)
                .put("totalTokens", totalTokens());
        cacheRead.ifPresent(n -> usage.put("cacheReadInputTokens", n));
        cacheWrite.ifPresent(n -> usage.put("cacheWriteInputTokens", n));
        cacheWrite1h.ifPresent(oneHour -> usage.put("cacheDetails", new JsonArray() // 1h before 5m, as Bedrock sorts them
                .add(new JsonObject().put("ttl", "1h").put("inputTokens", oneHour))
                .add(new JsonObject().put("ttl", "5m").put("inputTokens", cacheWrite5m()))));
        return usage;
    }

    /** Anthropic's own split of the cache writes by TTL ({@code usage.cache_creation}), where they are split. */
    Optional<JsonObject> anthropicCacheCreation() {
        return cacheWrite1h.isEmpty() ? Optional.empty() : Optional.of(new JsonObject()
                .put("ephemeral_5m_input_tokens", cacheWrite5m())
                .put("ephemeral_1h_input_tokens", cacheWrite1h.getAsInt()));
    }

    private int cacheWrite5m() {
        return Math.max(0, cacheWrite.orElse(0) - cacheWrite1h.orElse(0));
    }
}
