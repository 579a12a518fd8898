package dev.bedrocktenant.signing;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * The roles of tenants that have one (tenants file, {@code role}), assumed with the proxy's own credentials
 * and tagged with the tenant, one session per tenant, kept until the tenant's role changes.
 */
public final class RoleSessions {

    /** A tenant's role session is named this and its id, which AWS's records show in the principal's ARN. */
    public static final String SESSION_NAME_PREFIX = "bedrock-tenant-";

    private static final Logger LOG = Logger.getLogger(RoleSessions.class);
    private static final int MAX_SESSION_NAME = 64;

    private final SigningConfig config;
    private final String tagKey;
    private final AwsCredentialsProvider proxyCredentials;
    private final Vertx vertx;
    private final Clock clock;
    private final Map<String, RoleSession> sessions = new ConcurrentHashMap<>();
    private volatile StsClient sts;

    /** @param tagKey the tag naming a tenant (proxy.profiles.tag-key), put on every session */
    RoleSessions(SigningConfig config, String tagKey, AwsCredentialsProvider proxyCredentials, Vertx vertx, Clock clock) {
        this.config = config;
        this.tagKey = tagKey;
        this.proxyCredentials = proxyCredentials;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** The tenant's role credentials; a role that cannot be assumed refuses the call with AccessDeniedException. */
    Uni<AwsCredentials> credentials(Tenant tenant, Tenant.Role role) {
        RoleSession session = sessions.compute(tenant.id(), (id, old) -> {
            if (old != null && old.role().equals(role)) {
                return old;
            }
            if (old != null) {
                old.close();
            }
            return open(tenant, role);
        });
        CompletionStage<AwsCredentials> credentials = session.credentials(clock.instant());
        return Uni.createFrom().completionStage(credentials)
                .onFailure().transform(failure -> refusal(tenant, role, failure));
    }

    private RoleSession open(Tenant tenant, Tenant.Role role) {
        Map<String, String> tags = new LinkedHashMap<>(role.sessionTags());
        // the tenant's own tag is what attribution rests on: the file cannot override it
        tags.put(tagKey, tenant.tags().getOrDefault(tagKey, tenant.id()));
        String sessionName = SESSION_NAME_PREFIX + tenant.id();
        StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts())
                .asyncCredentialUpdateEnabled(true)
                .prefetchTime(config.signing().rolePrefetchTime())
                .staleTime(config.signing().roleStaleTime())
                .refreshRequest(r -> r.roleArn(role.arn())
                        .roleSessionName(sessionName.substring(0, Math.min(sessionName.length(), MAX_SESSION_NAME)))
                        .externalId(role.externalId().orElse(null))
                        .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                                .toList()))
                .build();
        LOG.infof("tenant %s signs with role %s (session tags %s)", tenant.id(), role.arn(), tags.keySet());
        return new RoleSession(role, provider, config.signing().roleStaleTime(),
                call -> vertx.executeBlocking(call, false).toCompletionStage());
    }

    /** One STS client for all tenants, made when the first tenant with a role calls. */
    private StsClient sts() {
        StsClient client = sts;
        if (client == null) {
            synchronized (this) {
                if (sts == null) {
                    sts = StsClient.builder()
                            .region(Region.of(config.region()))
                            .endpointOverride(URI.create(config.stsUrl().replace("{region}", config.region())))
                            .credentialsProvider(proxyCredentials)
                            .overrideConfiguration(o -> o.apiCallTimeout(config.signing().roleAssumeTimeout()))
                            .build();
                }
                client = sts;
            }
        }
        return client;
    }

    /** The SDK's message names the error code, status and request id; never the external id or keys. */
    private static ProxyRefusal refusal(Tenant tenant, Tenant.Role role, Throwable failure) {
        Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                ? failure.getCause() : failure;
        LOG.warnf("tenant %s: AssumeRole of %s failed: %s", tenant.id(), role.arn(), cause.getMessage());
        return ProxyRefusal.accessDenied("the proxy could not assume the role " + role.arn() + " of tenant "
                + tenant.id() + ": " + cause.getMessage());
    }
}
