package dev.bedrocktenant.usage;

import dev.bedrocktenant.wire.BedrockOperation;

/** The one way in: a fresh {@link UsageExtractor} for one response of the given operation. */
public final class UsageExtractors {

    private UsageExtractors() {
    }

    public static UsageExtractor forOperation(BedrockOperation operation) {
        return switch (operation) {
            case CONVERSE -> new ConverseUsageReader();
            case CONVERSE_STREAM -> new ConverseStreamUsageReader();
            case INVOKE_MODEL -> new InvokeModelUsageReader();
            case INVOKE_MODEL_WITH_RESPONSE_STREAM -> new InvokeModelStreamUsageReader();
            // CountTokens is free; guardrails bill policy units; async invokes use their tokens later.
            case COUNT_TOKENS, APPLY_GUARDRAIL, INVOKE_GUARDRAIL_CHECKS,
                    START_ASYNC_INVOKE, GET_ASYNC_INVOKE, LIST_ASYNC_INVOKES -> new NoUsage();
        };
    }
}
