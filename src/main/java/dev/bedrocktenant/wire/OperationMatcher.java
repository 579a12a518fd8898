package dev.bedrocktenant.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises Bedrock Runtime operations by method and raw path, as the service model binds them.
 * Anything else is refused here rather than forwarded, so no unknown call reaches Bedrock on the
 * proxy's credentials.
 */
public final class OperationMatcher {

    private static final Pattern MODEL_PREFIX = Pattern.compile("/model/([^/]+)(?:/.*)?");
    /** In the service model, but not forwarded: its events are signed one by one. */
    private static final String BIDIRECTIONAL_STREAM = "/invoke-with-bidirectional-stream";
    /** Bedrock Runtime's service model: a modelId is 1 to 2048 characters. */
    public static final int MAX_MODEL_ID_LENGTH = 2048;

    private OperationMatcher() {
    }

    /** @throws ProxyRefusal ValidationException for an unknown operation or a malformed path */
    public static RouteMatch match(String method, String rawPath) {
        requireValidEncoding(rawPath);
        Optional<BedrockOperation.Binding> bound = BedrockOperation.bind(method, rawPath);
        if (bound.isPresent()) {
            BedrockOperation.Binding b = bound.get();
            return b.operation().modelIdIn == BedrockOperation.ModelIdIn.PATH
                    ? new RouteMatch(b.operation(), Optional.of(modelId(b.label().orElseThrow())), b.labelStart(), b.labelEnd())
                    : RouteMatch.withoutModel(b.operation());
        }
        Optional<BedrockOperation.Binding> otherMethod = BedrockOperation.bindPath(rawPath);
        if (otherMethod.isPresent()) {
            throw ProxyRefusal.validation(method + " " + rawPath + " is not a Bedrock Runtime operation; expected "
                    + otherMethod.get().operation().method);
        }
        if (rawPath.endsWith(BIDIRECTIONAL_STREAM) && MODEL_PREFIX.matcher(rawPath).matches()) {
            throw ProxyRefusal.validation("InvokeModelWithBidirectionalStream is not supported by this proxy");
        }
        throw ProxyRefusal.validation(method + " " + rawPath + " is not a Bedrock Runtime operation this proxy forwards");
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

    /** The decoded model id, no longer than Bedrock's service model allows. */
    private static String modelId(String encoded) {
        String modelId = decode(encoded);
        if (modelId.length() > MAX_MODEL_ID_LENGTH) {
            throw ProxyRefusal.validation("the modelId is " + modelId.length() + " characters long; Bedrock accepts at most "
                    + MAX_MODEL_ID_LENGTH);
        }
        return modelId;
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
