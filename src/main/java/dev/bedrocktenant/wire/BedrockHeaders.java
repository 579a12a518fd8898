package dev.bedrocktenant.wire;

import java.util.List;

/**
 * Bedrock Runtime's headers that carry attribution, as its service model names them, and the service tiers it lists:
 * one spelling for the stage that stamps them, the readers of Bedrock's answers and the simulator.
 */
public final class BedrockHeaders {

    /** InvokeModel's request metadata, a JSON object of strings, recorded in model invocation logs. */
    public static final String REQUEST_METADATA = "X-Amzn-Bedrock-Request-Metadata";

    /** The service tier asked for (InvokeModel's request) and served (InvokeModel's response). */
    public static final String SERVICE_TIER = "X-Amzn-Bedrock-Service-Tier";

    /** The service tiers Bedrock Runtime's service model lists today (also Converse's {@code serviceTier.type}). */
    public static final List<String> SERVICE_TIERS = List.of("default", "priority", "flex", "reserved");

    private BedrockHeaders() {
    }
}
