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

    /** The count named by the first {@code length} bytes of {@code key} (ASCII), or null; makes no String. */
    String countNamed(byte[] key, int length) {
        return spells(input, key, length) ? input : spells(output, key, length) ? output
                : spells(cacheRead, key, length) ? cacheRead : spells(cacheWrite, key, length) ? cacheWrite : null;
    }

    private static boolean spells(String name, byte[] key, int length) {
        if (name.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (name.charAt(i) != key[i]) {
                return false;
            }
        }
        return true;
    }
}
