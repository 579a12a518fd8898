package dev.bedrocktenant.signing;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the caller's SigV4 {@code Authorization} header says about who signed:
 * {@code AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/bedrock/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=hex}.
 */
public record CallerCredential(String accessKeyId, String date, String region, String service,
                               List<String> signedHeaders, String signature) {

    private static final Pattern SIGV4 = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,"
                    + "\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-fA-F]+)\\s*");

    /** Empty when the header is absent or not SigV4 (a Bearer API key, say). */
    public static Optional<CallerCredential> parse(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher m = SIGV4.matcher(authorization.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CallerCredential(m.group(1), m.group(2), m.group(3), m.group(4),
                List.of(m.group(5).split(";")), m.group(6).toLowerCase()));
    }
}
