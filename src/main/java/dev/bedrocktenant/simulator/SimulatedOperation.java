package dev.bedrocktenant.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpMethod;

/**
 * The operations of bedrock-runtime 2023-09-30 the simulator answers, bound to method and path as
 * the service model binds them. Matched against the raw path so that a percent-encoded model id
 * (an ARN holds '/' as %2F) stays one segment.
 */
enum SimulatedOperation {
    CONVERSE("Converse", HttpMethod.POST, "/model/([^/]+)/converse"),
    CONVERSE_STREAM("ConverseStream", HttpMethod.POST, "/model/([^/]+)/converse-stream"),
    INVOKE_MODEL("InvokeModel", HttpMethod.POST, "/model/([^/]+)/invoke"),
    INVOKE_MODEL_WITH_RESPONSE_STREAM("InvokeModelWithResponseStream", HttpMethod.POST,
            "/model/([^/]+)/invoke-with-response-stream"),
    COUNT_TOKENS("CountTokens", HttpMethod.POST, "/model/([^/]+)/count-tokens"),
    APPLY_GUARDRAIL("ApplyGuardrail", HttpMethod.POST, "/guardrail/[^/]+/version/[^/]+/apply"),
    INVOKE_GUARDRAIL_CHECKS("InvokeGuardrailChecks", HttpMethod.POST, "/guardrail-checks/invoke"),
    START_ASYNC_INVOKE("StartAsyncInvoke", HttpMethod.POST, "/async-invoke"),
    GET_ASYNC_INVOKE("GetAsyncInvoke", HttpMethod.GET, "/async-invoke/([^/]+)"),
    LIST_ASYNC_INVOKES("ListAsyncInvokes", HttpMethod.GET, "/async-invoke");

    /** A matched operation with its decoded path label (model id or invocation ARN), if it has one. */
    record Match(SimulatedOperation operation, Optional<String> label) {
    }

    final String awsName;
    private final HttpMethod method;
    private final Pattern path;

    SimulatedOperation(String awsName, HttpMethod method, String path) {
        this.awsName = awsName;
        this.method = method;
        this.path = Pattern.compile(path);
    }

    boolean streaming() {
        return this == CONVERSE_STREAM || this == INVOKE_MODEL_WITH_RESPONSE_STREAM;
    }

    static Optional<Match> match(HttpMethod method, String rawPath) {
        for (SimulatedOperation op : values()) {
            Matcher m = op.path.matcher(rawPath);
            if (op.method.equals(method) && m.matches()) {
                return Optional.of(new Match(op, m.groupCount() == 0 ? Optional.empty() : Optional.of(decode(m.group(1)))));
            }
        }
        return Optional.empty();
    }

    private static String decode(String segment) {
        // A path segment is percent-encoded; '+' is a literal plus there, not a space.
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
