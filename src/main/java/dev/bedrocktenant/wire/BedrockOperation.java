package dev.bedrocktenant.wire;



/**
 * The Bedrock Runtime operations the proxy forwards, as AWS's service model
 * (bedrock-runtime 2023-09-30) binds them to HTTP. The name is the AWS operation name used in
 * metrics and the ledger.
 */
public enum BedrockOperation {
    CONVERSE("Converse", ModelIdIn.PATH, Rewrite.TO_PROFILE, false),
    CONVERSE_STREAM("ConverseStream", ModelIdIn.PATH, Rewrite.TO_PROFILE, true),
    INVOKE_MODEL("InvokeModel", ModelIdIn.PATH, Rewrite.TO_PROFILE, false),
    INVOKE_MODEL_WITH_RESPONSE_STREAM("InvokeModelWithResponseStream", ModelIdIn.PATH, Rewrite.TO_PROFILE, true),
    /** Bedrock counts tokens against a foundation model, so it gets the base model id, not a profile. */
    COUNT_TOKENS("CountTokens", ModelIdIn.PATH, Rewrite.TO_BASE_MODEL, false),
    APPLY_GUARDRAIL("ApplyGuardrail", ModelIdIn.NONE, Rewrite.NONE, false),
    INVOKE_GUARDRAIL_CHECKS("InvokeGuardrailChecks", ModelIdIn.NONE, Rewrite.NONE, false),
    START_ASYNC_INVOKE("StartAsyncInvoke", ModelIdIn.BODY, Rewrite.TO_PROFILE, false),
    GET_ASYNC_INVOKE("GetAsyncInvoke", ModelIdIn.NONE, Rewrite.NONE, false),
    LIST_ASYNC_INVOKES("ListAsyncInvokes", ModelIdIn.NONE, Rewrite.NONE, false);

    /** Where the request names its model. */
    public enum ModelIdIn { PATH, BODY, NONE }

    /** What the proxy puts in place of the model id the application asked for. */
    public enum Rewrite { TO_PROFILE, TO_BASE_MODEL, NONE }

    public final String awsName;
    public final ModelIdIn modelIdIn;
    public final Rewrite rewrite;
    /** The response is an AWS event stream. */
    public final boolean streaming;

    BedrockOperation(String awsName, ModelIdIn modelIdIn, Rewrite rewrite, boolean streaming) {
        this.awsName = awsName;
        this.modelIdIn = modelIdIn;
        this.rewrite = rewrite;
        this.streaming = streaming;
    }
}
