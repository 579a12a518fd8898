package dev.bedrocktenant.signing;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.bedrocktenant.profile.ProfilesConfig;
import dev.bedrocktenant.tenant.Tenant;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs each forwarded request with SigV4, using the SDK's signer over exactly the bytes that will be sent:
 * with the proxy's own AWS credentials, or those of the tenant's role where the tenants file gives it one.
 */
@ApplicationScoped
public class RequestSigner {

    private static final Logger LOG = Logger.getLogger(RequestSigner.class);

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final String serviceName;
    private final RoleSessions roles;

    public RequestSigner(SigningConfig config, ProfilesConfig profiles, Vertx vertx) {
        this.region = config.region();
        this.serviceName = config.signing().serviceName();
        this.credentials = SigningCredentials.of(config.signing().accessKeyId(), config.signing().secretAccessKey());
        this.roles = new RoleSessions(config, profiles.tagKey(), credentials, vertx, Clock.systemUTC());
    }

    /**
     * What the tenant's calls are signed with: its role's credentials (assumed on its first call, off the event
     * loop), else the proxy's own. A role that cannot be assumed fails with AccessDeniedException.
     */
    public Uni<AwsCredentialsIdentity> credentialsFor(Tenant tenant) {
        return tenant.role().<Uni<AwsCredentialsIdentity>>map(role -> roles.credentials(tenant, role).map(c -> c))
                .orElseGet(() -> Uni.createFrom().item(credentials::resolveCredentials));
    }

    /** The proxy's own AWS credentials, for other AWS clients of the proxy (CloudWatch) to share. */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** The first resolution may do I/O (IMDS, STS): do it at start-up, never on a request. */
    void warmUp(@Observes StartupEvent event) {
        try {
            LOG.infof("signing as access key %s…", mask(credentials.resolveCredentials().accessKeyId()));
        } catch (RuntimeException e) {
            LOG.warn("no AWS credentials found by the default chain (env, profile, web identity, container,"
                    + " instance); forwarded requests fail until it finds some");
        }
    }

    /**
     * @param identity    from {@link #credentialsFor}
     * @param upstream    scheme://host[:port] of Bedrock Runtime
     * @param encodedPath the path as it will be sent, percent-encoding intact
     * @param headers     the headers that will be sent (no Authorization, X-Amz-Date, Host)
     * @return the headers to send: the given ones plus Host, X-Amz-Date, X-Amz-Content-Sha256 and Authorization
     */
    public Map<String, List<String>> sign(AwsCredentialsIdentity identity, String method, URI upstream, String encodedPath, String rawQuery,
                                          Map<String, List<String>> headers, byte[] body) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(upstream)
                .encodedPath(encodedPath)
                .headers(headers);
        QueryString.parse(rawQuery).forEach(p -> request.appendRawQueryParameter(p.getKey(), p.getValue()));
        return signer.sign(r -> r
                        .identity(identity)
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, serviceName)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
                .request().headers();
    }

    private static String mask(String accessKeyId) {
        return accessKeyId.length() <= 8 ? "" : accessKeyId.substring(0, 8);
    }
}
