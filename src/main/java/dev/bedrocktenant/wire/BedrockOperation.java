package dev.bedrocktenant.wire;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Bedrock Runtime operations the proxy forwards: one row each, bound to HTTP exactly as AWS's service
 * model (bedrock-runtime 2023-09-30) binds them. The proxy's matcher and routes, the usage readers and the
 * built-in simulator all read this table, so an operation is added here, plus its usage reader (the
 * compiler asks for it in every switch over the table). The name is the AWS operation name used in metrics
 * and the ledger.
 */
public enum BedrockOperation {
    CONVERSE("Converse", "POST", "/model/{modelId}/converse", ModelIdIn.PATH, Rewrite.TO_PROFILE, false),
    CONVERSE_STREAM("ConverseStream", "POST", "/model/{modelId}/converse-stream", ModelIdIn.PATH, Rewrite.TO_PROFILE, true),
    INVOKE_MODEL("InvokeModel", "POST", "/model/{modelId}/invoke", ModelIdIn.PATH, Rewrite.TO_PROFILE, false),
    INVOKE_MODEL_WITH_RESPONSE_STREAM("InvokeModelWithResponseStream", "POST", "/model/{modelId}/invoke-with-response-stream",
            ModelIdIn.PATH, Rewrite.TO_PROFILE, true),
    /** Bedrock counts tokens against a foundation model, so it gets the base model id, not a profile. */
    COUNT_TOKENS("CountTokens", "POST", "/model/{modelId}/count-tokens", ModelIdIn.PATH, Rewrite.TO_BASE_MODEL, false),
    APPLY_GUARDRAIL("ApplyGuardrail", "POST", "/guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply",
            ModelIdIn.NONE, Rewrite.NONE, false),
    INVOKE_GUARDRAIL_CHECKS("InvokeGuardrailChecks", "POST", "/guardrail-checks/invoke", ModelIdIn.NONE, Rewrite.NONE, false),
    START_ASYNC_INVOKE("StartAsyncInvoke", "POST", "/async-invoke", ModelIdIn.BODY, Rewrite.TO_PROFILE, false),
    GET_ASYNC_INVOKE("GetAsyncInvoke", "GET", "/async-invoke/{invocationArn}", ModelIdIn.NONE, Rewrite.NONE, false),
    LIST_ASYNC_INVOKES("ListAsyncInvokes", "GET", "/async-invoke", ModelIdIn.NONE, Rewrite.NONE, false);

    /** Where the request names its model. */
    public enum ModelIdIn { PATH, BODY, NONE }

    /** What the proxy puts in place of the model id the application asked for. */
    public enum Rewrite { TO_PROFILE, TO_BASE_MODEL, NONE }

    /**
     * A raw path bound to an operation.
     *
     * @param label      the path's first label ({@code {modelId}}, {@code {invocationArn}}…), still percent-encoded
     * @param labelStart where it starts in the raw path (-1 when the path has none)
     * @param labelEnd   where it ends (exclusive)
     */
    public record Binding(BedrockOperation operation, Optional<String> label, int labelStart, int labelEnd) {
    }

    public final String awsName;
    /** The HTTP method and request URI of the service model, labels in braces. */
    public final String method;
    public final String requestUri;
    public final ModelIdIn modelIdIn;
    public final Rewrite rewrite;
    /** The response is an AWS event stream. */
    public final boolean streaming;
    /** The request URI with each label as one percent-encoded segment (an ARN's '/' arrives as %2F). */
    private final Pattern path;

    BedrockOperation(String awsName, String method, String requestUri, ModelIdIn modelIdIn, Rewrite rewrite,
                     boolean streaming) {
        this.awsName = awsName;
        this.method = method;
        this.requestUri = requestUri;
        this.modelIdIn = modelIdIn;
        this.rewrite = rewrite;
        this.streaming = streaming;
        this.path = Pattern.compile(requestUri.replaceAll("\\{[^}]+}", "([^/]+)"));
    }

    /** The operation whose method and request URI the raw path matches, in table order. */
    public static Optional<Binding> bind(String method, String rawPath) {
        return bindWith(method, rawPath);
    }

    /** The first operation whose request URI the raw path matches, whatever its method. */
    public static Optional<Binding> bindPath(String rawPath) {
        return bindWith(null, rawPath);
    }

    /** @param method null: any */
    private static Optional<Binding> bindWith(String method, String rawPath) {
        for (BedrockOperation op : values()) { // a plain loop: it runs per request, over ten rows
            if (method != null && !op.method.equals(method)) {
                continue;
            }
            Matcher m = op.path.matcher(rawPath);
            if (m.matches()) {
                return Optional.of(m.groupCount() == 0 ? new Binding(op, Optional.empty(), -1, -1)
                        : new Binding(op, Optional.of(m.group(1)), m.start(1), m.end(1)));
            }
        }
        return Optional.empty();
    }

    /** The first path segments of the table ({@code /model}, {@code /async-invoke}…): what the proxy listens on. */
    public static Set<String> pathPrefixes() {
        Set<String> prefixes = new LinkedHashSet<>();
        for (BedrockOperation op : values()) {
            int second = op.requestUri.indexOf('/', 1);
            prefixes.add(second < 0 ? op.requestUri : op.requestUri.substring(0, second));
        }
        return prefixes;
    }
}
