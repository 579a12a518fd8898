package dev.bedrocktenant.usage;

/**
 * What one Bedrock format calls the four token counts: Converse's {@code TokenUsage} and the
 * {@code amazon-bedrock-invocationMetrics} of InvokeModel streams name them differently.
 */
record TokenFieldNames(String input, String output, String cacheRead, String cacheWrite) {

    /** Converse and ConverseStream {@code usage} (the service model's TokenUsage shape). */
    static final TokenFieldNames CONVERSE =
            new TokenFieldNames("inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens");

    /** {@code amazon-bedrock-invocationMetrics} in the last chunk of an InvokeModelWithResponseStream. */
    static final TokenFieldNames INVOCATION_METRICS = new TokenFieldNames(
            "inputTokenCount", "outputTokenCount", "cacheReadInputTokenCount", "cacheWriteInputTokenCount");

    boolean counts(String field) {
        return input.equals(field) || output.equals(field) || cacheRead.equals(field) || cacheWrite.equals(field);
    }
}
