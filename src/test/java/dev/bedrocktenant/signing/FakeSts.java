package dev.bedrocktenant.signing;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import dev.bedrocktenant.budget.notify.LocalHttpServer;
import dev.bedrocktenant.testing.QueryForm;
import io.vertx.core.http.HttpServerRequest;

/**
 * An STS endpoint for tests, speaking what the AWS SDK for Java v2 speaks to it: the awsQuery protocol, a
 * form-encoded {@code POST /} ({@code Action=AssumeRole&Version=2011-06-15&RoleArn=…}) answered in XML. It issues
 * fresh temporary credentials for each AssumeRole, valid for {@link #lifetime}, records every call (role, external
 * id, session tags) and tells a listener about each key it issued; told to, it refuses a role as STS does
 * (403 AccessDenied).
 */
public final class FakeSts implements AutoCloseable {

    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    /** One AssumeRole as received. */
    public record AssumeRole(String roleArn, String sessionName, String externalId, Map<String, String> sessionTags,
                             String callerAuthorization, Instant at) {
    }

    /** Temporary credentials as issued. */
    public record Issued(String roleArn, String accessKeyId, String secretAccessKey, Instant expiration) {
    }

    private final List<AssumeRole> calls = new CopyOnWriteArrayList<>();
    private final List<Issued> issued = new CopyOnWriteArrayList<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Duration lifetime;
    private final BiConsumer<String, String> onIssue;
    private final LocalHttpServer server;

    /**
     * @param lifetime how long issued credentials are valid
     * @param onIssue  told (access key id, secret) of each set issued, e.g. the simulator's accepted keys
     */
    public FakeSts(int port, Duration lifetime, BiConsumer<String, String> onIssue) {
        this.lifetime = lifetime;
        this.onIssue = onIssue;
        server = new LocalHttpServer(port, this::handle);
    }

    public URI endpoint() {
        return URI.create(server.origin());
    }

    /** AssumeRole of this role is refused with AccessDenied from now on. */
    public void refuse(String roleArn) {
        refused.add(roleArn);
    }

    public List<AssumeRole> calls() {
        return List.copyOf(calls);
    }

    public List<Issued> issued() {
        return List.copyOf(issued);
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Map<String, String> form = QueryForm.parse(body.toString());
            if (!"AssumeRole".equals(form.get("Action")) || !"2011-06-15".equals(form.get("Version"))) {
                error(request, 400, "InvalidAction", "fake STS does only AssumeRole, version 2011-06-15");
                return;
            }
            String role = form.get("RoleArn");
            calls.add(new AssumeRole(role, form.get("RoleSessionName"), form.get("ExternalId"), tags(form),
                    request.getHeader("Authorization"), Instant.now()));
            if (refused.contains(role)) {
                error(request, 403, "AccessDenied", "User: arn:aws:sts::111122223333:assumed-role/proxy/i-0 is not"
                        + " authorized to perform: sts:AssumeRole on resource: " + role);
                return;
            }
            String accessKeyId = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
            String secret = UUID.randomUUID().toString();
            Instant expiration = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
            onIssue.accept(accessKeyId, secret);
            issued.add(new Issued(role, accessKeyId, secret, expiration));
            request.response().setStatusCode(200).putHeader("Content-Type", "text/xml")
                    .end("<AssumeRoleResponse xmlns=\"" + NAMESPACE + "\"><AssumeRoleResult><Credentials>"
                            + "<AccessKeyId>" + accessKeyId + "</AccessKeyId><SecretAccessKey>" + secret
                            + "</SecretAccessKey><SessionToken>token-" + accessKeyId + "</SessionToken><Expiration>"
                            + expiration + "</Expiration></Credentials><AssumedRoleUser><Arn>"
                            + role.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/"
                            + form.get("RoleSessionName") + "</Arn><AssumedRoleId>AROAFAKE:" + form.get("RoleSessionName")
                            + "</AssumedRoleId></AssumedRoleUser><PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>"
                            + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                            + "</AssumeRoleResponse>");
        });
    }

    /** {@code Tags.member.N.Key} with {@code Tags.member.N.Value}. */
    private static Map<String, String> tags(Map<String, String> form) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int n = 1; form.containsKey("Tags.member." + n + ".Key"); n++) {
            tags.put(form.get("Tags.member." + n + ".Key"), form.get("Tags.member." + n + ".Value"));
        }
        return tags;
    }

    private static void error(HttpServerRequest request, int status, String code, String message) {
        request.response().setStatusCode(status).putHeader("Content-Type", "text/xml")
                .end("<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>Sender</Type><Code>" + code
                        + "</Code><Message>" + message + "</Message></Error><RequestId>" + UUID.randomUUID()
                        + "</RequestId></ErrorResponse>");
    }
}
