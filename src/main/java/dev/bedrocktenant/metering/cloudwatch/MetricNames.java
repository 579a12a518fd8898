package dev.bedrocktenant.metering.cloudwatch;



/**
 * Metric and dimension names, the same as Amazon Bedrock's own in namespace {@code AWS/Bedrock}, so
 * that dashboards and alarms built for one work on the other.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring.html#runtime-cloudwatch-metrics">Bedrock runtime metrics</a>
 */
public final class MetricNames {

    public static final String BEDROCK_NAMESPACE = "AWS/Bedrock";

    public static final String INVOCATIONS = "Invocations";
    public static final String INVOCATION_LATENCY = "InvocationLatency";
    public static final String INVOCATION_THROTTLES = "InvocationThrottles";
    public static final String INVOCATION_CLIENT_ERRORS = "InvocationClientErrors";
    public static final String INVOCATION_SERVER_ERRORS = "InvocationServerErrors";
    public static final String INPUT_TOKEN_COUNT = "InputTokenCount";
    public static final String OUTPUT_TOKEN_COUNT = "OutputTokenCount";
    public static final String CACHE_READ_INPUT_TOKEN_COUNT = "CacheReadInputTokenCount";
    public static final String CACHE_WRITE_INPUT_TOKEN_COUNT = "CacheWriteInputTokenCount";
    /** The proxy's own: not in AWS/Bedrock. */
    public static final String ESTIMATED_COST_USD = "EstimatedCostUSD";

    public static final String TENANT_ID = "TenantId";
    public static final String MODEL_ID = "ModelId";

    private MetricNames() {
    }
}
