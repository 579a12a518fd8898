package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bedrocktenant.pricing.PriceTable;
import dev.bedrocktenant.usage.TokenUsage;
import io.vertx.core.buffer.Buffer;

/**
 * What a request is expected to use, reserved at admission and replaced by what it used once it ends: its
 * body's size in tokens, plus the output it allows itself ({@code maxTokens}, {@code max_tokens} and the like),
 * else a configured default; priced as the call will be.
 */
public record Estimate(long inputTokens, long outputTokens, BigDecimal costUsd) {

    public static final Estimate NOTHING = new Estimate(0, 0, BigDecimal.ZERO);

    /**
     * The output caps of Bedrock's request shapes: Converse's {@code inferenceConfig.maxTokens}, Anthropic's
     * {@code max_tokens}, Meta's {@code max_gen_len}, Titan's {@code maxTokenCount}, others'
     * {@code max_new_tokens} / {@code max_completion_tokens}. Found by name anywhere in the body: a
     * search, not a parse, since the body may be megabytes of conversation.
     */
    private static final Pattern OUTPUT_CAP = Pattern.compile(
            "\"(?:maxTokens|max_tokens|max_gen_len|maxTokenCount|max_new_tokens|max_completion_tokens)\"\\s*:\\s*(\\d{1,9})");

    public long tokens() {
        return inputTokens + outputTokens;
    }

    public static Estimate of(Buffer body, String pricedModelId, PriceTable prices, LimitsConfig.Limits config) {
        long input = (body.length() + config.bodyBytesPerToken() - 1) / config.bodyBytesPerToken();
        long output = outputCapOf(body).orElse(config.defaultMaxTokens());
        return new Estimate(input, output, prices.costOf(pricedModelId, TokenUsage.of(input, output)).usd());
    }

    /** The largest output cap the body names, if it names any. */
    static OptionalLong outputCapOf(Buffer body) {
        Matcher m = OUTPUT_CAP.matcher(body.toString(StandardCharsets.ISO_8859_1));
        long cap = -1;
        while (m.find()) {
            cap = Math.max(cap, Long.parseLong(m.group(1)));
        }
        return cap < 0 ? OptionalLong.empty() : OptionalLong.of(cap);
    }
}
