package dev.bedrocktenant.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises Bedrock Runtime operations by method and raw path, as the service model binds them.
 * Anything else is refused here rather than forwarded, so no unknown call reaches Bedrock on the
 * proxy's credentials.
 */
public final class OperationMatcher {

    private static final Pattern MODEL_PATH = Pattern.compile("/model/([^/]+)/([a-z-]+)");
    private static final Pattern MODEL_PREFIX = Pattern.compile("/model/([^/]+)(?:/.*)?");
    private static final Pattern GUARDRAIL_APPLY = Pattern.compile("/guardrail/[^/]+/version/[^/]+/apply");
    private static final Pattern ASYNC_INVOKE_ONE = Pattern.compile("/async-invoke/[^/]+");

    private static final Map<String, BedrockOperation> MODEL_ACTIONS = Map.of(
            "converse", BedrockOperation.CONVERSE,
            "converse-stream", BedrockOperation.CONVERSE_STREAM,
            "invoke", BedrockOperation.INVOKE_MODEL,
            "invoke-with-response-stream", BedrockOperation.INVOKE_MODEL_WITH_RESPONSE_STREAM,
            "count-tokens", BedrockOperation.COUNT_TOKENS);

    private OperationMatcher() {
    }

    /** @throws ProxyRefusal ValidationException for an unknown operation or a malformed path */
    public static RouteMatch match(String method, String rawPath) {
        requireValidEncoding(rawPath);
        Matcher model = MODEL_PATH.matcher(rawPath);
        if (model.matches()) {
            BedrockOperation operation = MODEL_ACTIONS.get(model.group(2));
            if (operation == null) {
                throw unsupported(method, rawPath, model.group(2).equals("invoke-with-bidirectional-stream")
                        ? "InvokeModelWithBidirectionalStream is not supported by this proxy" : null);
            }
            requireMethod("POST", method, rawPath);
            return new RouteMatch(operation, Optional.of(decode(model.group(1))), model.start(1), model.end(1));
        }
        if (GUARDRAIL_APPLY.matcher(rawPath).matches()) {
            requireMethod("POST", method, rawPath);
            return RouteMatch.withoutModel(BedrockOperation.APPLY_GUARDRAIL);
        }
        if (rawPath.equals("/guardrail-checks/invoke")) {
            requireMethod("POST", method, rawPath);
            return RouteMatch.withoutModel(BedrockOperation.INVOKE_GUARDRAIL_CHECKS);
        }
        if (rawPath.equals("/async-invoke")) {
            if (method.equals("GET")) {
                return RouteMatch.withoutModel(BedrockOperation.LIST_ASYNC_INVOKES);
            }
            requireMethod("POST", method, rawPath);
            return RouteMatch.withoutModel(BedrockOperation.START_ASYNC_INVOKE);
        }
        if (ASYNC_INVOKE_ONE.matcher(rawPath).matches()) {
            requireMethod("GET", method, rawPath);
            return RouteMatch.withoutModel(BedrockOperation.GET_ASYNC_INVOKE);
        }
        throw unsupported(method, rawPath, null);
    }

    /**
     * The model id a {@code /model/{modelId}/…} path names, decoded, whatever the operation: what a refused
     * unknown operation is accounted to. Empty for other paths and for an id that cannot be decoded.
     */
    public static Optional<String> modelIdIn(String rawPath) {
        Matcher model = MODEL_PREFIX.matcher(rawPath);
        if (!model.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(model.group(1)));
        } catch (ProxyRefusal malformed) {
            return Optional.empty();
        }
    }

    private static void requireMethod(String expected, String method, String rawPath) {
        if (!expected.equals(method)) {
            throw ProxyRefusal.validation(method + " " + rawPath + " is not a Bedrock Runtime operation; expected "
                    + expected);
        }
    }

    private static ProxyRefusal unsupported(String method, String rawPath, String why) {
        return ProxyRefusal.validation(why != null ? why
                : method + " " + rawPath + " is not a Bedrock Runtime operation this proxy forwards");
    }

    private static void requireValidEncoding(String rawPath) {
        decode(rawPath);
    }

    /** Strict percent-decoding: a stray '%' or bytes that are not UTF-8 are a malformed path. */
    static String decode(String encoded) {
        ByteBuffer bytes = ByteBuffer.allocate(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c > 0x7E || c < 0x20) {
                throw ProxyRefusal.validation("the request path has a character that must be percent-encoded");
            }
            if (c != '%') {
                bytes.put((byte) c);
                continue;
            }
            int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
            if (lo < 0) {
                throw ProxyRefusal.validation("the request path has invalid percent-encoding at position " + i);
            }
            bytes.put((byte) (hi << 4 | lo));
            i += 2;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(bytes.flip());
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw ProxyRefusal.validation("the request path's percent-encoded bytes are not UTF-8");
        }
    }
}
