package dev.bedrocktenant.signing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import dev.bedrocktenant.wire.InboundRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * Checks a caller's SigV4 signature by signing the same request again, with the SDK's own signer,
 * at the instant the caller claimed ({@code X-Amz-Date}), over exactly the headers it signed, and
 * comparing the two signatures in constant time. Used by the proxy (tenants with a signing secret)
 * and by the simulator (as Bedrock checks the proxy's signature).
 */
public final class SignatureVerifier {

    /** How far the caller's clock may be off; AWS allows 15 minutes. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
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
        String expected = signatureOf(request, credential, secretAccessKey, signedAt);
        boolean same = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                credential.signature().getBytes(StandardCharsets.US_ASCII));
        return same ? Optional.empty()
                : Optional.of("the request signature does not match the one computed with the secret for "
                        + credential.accessKeyId());
    }

    private String signatureOf(InboundRequest request, CallerCredential credential, String secret, Instant signedAt) {
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(URI.create("http://" + request.authority()))
                .encodedPath(request.rawPath());
        QueryString.parse(request.rawQuery()).forEach(p -> unsigned.appendRawQueryParameter(p.getKey(), p.getValue()));
        for (String name : credential.signedHeaders()) {
            if (name.equals("host")) {
                unsigned.putHeader("Host", request.authority());
                continue;
            }
            List<String> values = request.headers().getAll(name);
            if (!values.isEmpty()) {
                unsigned.putHeader(name, values);
            }
        }
        byte[] body = request.body() == null ? new byte[0] : request.body().getBytes();
        SdkHttpRequest signed = signer.sign(r -> r
                .identity(AwsBasicCredentials.create(credential.accessKeyId(), secret))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, credential.service())
                .putProperty(AwsV4HttpSigner.REGION_NAME, credential.region())
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))).request();
        return signed.firstMatchingHeader("Authorization")
                .flatMap(CallerCredential::parse)
                .map(CallerCredential::signature)
                .orElse("");
    }
}
