package dev.bedrocktenant.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.bedrocktenant.wire.InboundRequest;
import software.amazon.awssdk.utils.BinaryUtils;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Checks a caller's SigV4 signature by building the same canonical request again, at the instant
 * the caller claimed ({@code X-Amz-Date}), over exactly the headers it signed, and comparing the two signatures in constant time. Used by the proxy (tenants with a signing secret)
 * and by the simulator (as Bedrock checks the proxy's signature).
 */
public final class SignatureVerifier {

    /** How far the caller's clock may be off; AWS allows 15 minutes. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    public SignatureVerifier(Clock clock) {
        this.clock = clock;
    }

    public SignatureVerifier() {
        this(Clock.systemUTC());
    }

    /** Empty when the signature is good; otherwise why it is not. */
    public Optional<String> verify(InboundRequest request, CallerCredential credential, String secretAccessKey) {
        String amzDate = request.headers().get("X-Amz-Date");
        if (amzDate == null) {
            return Optional.of("the request has no X-Amz-Date header");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            return Optional.of("X-Amz-Date is not of the form yyyyMMdd'T'HHmmss'Z'");
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            return Optional.of("the signature was made at " + amzDate + ", more than 15 minutes from now");
        }
        if (!amzDate.startsWith(credential.date())) {
            return Optional.of("the credential scope date does not match X-Amz-Date");
        }
        String bodyHash = BinaryUtils.toHex(sha256(request.body() == null ? new byte[0] : request.body().getBytes()));
        String declaredHash = request.headers().get("x-amz-content-sha256");
        // A signed content-sha header stands for the body in the canonical request, so it must be the body's hash.
        if (declaredHash != null && !declaredHash.trim().equals(bodyHash)
                && credential.signedHeaders().stream().anyMatch("x-amz-content-sha256"::equalsIgnoreCase)) {
            return Optional.of("the body does not match its x-amz-content-sha256 header");
        }
        String expected = signatureOf(request, credential, secretAccessKey, amzDate, bodyHash);
        boolean same = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                credential.signature().getBytes(StandardCharsets.US_ASCII));
        return same ? Optional.empty()
                : Optional.of("the request signature does not match the one computed with the secret for "
                        + credential.accessKeyId());
    }

    /**
     * Hand-written rather than the SDK's {@code AwsV4HttpSigner}: that signer always adds and signs
     * {@code x-amz-content-sha256} and chooses the signed headers itself, so it cannot reproduce a
     * canonical request built by botocore (no content-sha header) or by the JavaScript SDK over
     * HTTP/2 (signs {@code :authority}). Here the canonical request is exactly what the caller listed.
     */
    private String signatureOf(InboundRequest request, CallerCredential credential, String secret, String amzDate,
                               String bodyHash) {
        List<String> names = credential.signedHeaders().stream().map(n -> n.toLowerCase(Locale.ROOT)).sorted().toList();
        StringBuilder canonical = new StringBuilder()
                .append(request.method()).append('\n')
                .append(SdkHttpUtils.urlEncodeIgnoreSlashes(request.rawPath())).append('\n')
                .append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : names) {
            canonical.append(name).append(':').append(headerValue(request, name)).append('\n');
        }
        canonical.append('\n').append(String.join(";", names)).append('\n').append(bodyHash);
        String scope = credential.date() + "/" + credential.region() + "/" + credential.service() + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + BinaryUtils.toHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), credential.date());
        for (String part : List.of(credential.region(), credential.service(), "aws4_request")) {
            key = hmac(key, part);
        }
        return BinaryUtils.toHex(hmac(key, stringToSign));
    }

    /** Host comes from the Host header or, over HTTP/2, from :authority, which the JavaScript SDK signs by that name. */
    private static String headerValue(InboundRequest request, String name) {
        if (name.equals("host") || name.equals(":authority")) {
            return request.authority() == null ? "" : request.authority();
        }
        return request.headers().getAll(name).stream()
                .map(v -> v.trim().replaceAll(" +", " "))
                .collect(Collectors.joining(","));
    }

    private static String canonicalQuery(String rawQuery) {
        return QueryString.parse(rawQuery).stream()
                .map(p -> Map.entry(SdkHttpUtils.urlEncode(p.getKey()), SdkHttpUtils.urlEncode(p.getValue())))
                .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                .map(p -> p.getKey() + "=" + p.getValue())
                .collect(Collectors.joining("&"));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
