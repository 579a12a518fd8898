package dev.bedrocktenant.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantDirectory;
import dev.bedrocktenant.tenant.Tenants;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whether the listener can be reached from beyond this host. A sidecar listens on loopback: only the
 * application beside it reaches it, so a tenant header is as trustworthy as that application. Bound to
 * another address, anyone on the network could claim any tenant and read the admin API, so the admin API
 * and {@code /metrics} then need a token, and a start without any verified caller is loudly warned about.
 */
@ApplicationScoped
public class ListenerExposure {

    private static final Logger LOG = Logger.getLogger(ListenerExposure.class);

    private final String host;
    private final boolean beyondLoopback;

    public ListenerExposure(@ConfigProperty(name = "quarkus.http.host") String host) {
        this.host = host;
        this.beyondLoopback = !loopback(host);
    }

    public boolean beyondLoopback() {
        return beyondLoopback;
    }

    public String host() {
        return host;
    }

    /** An address this host alone can reach; a name that does not resolve counts as beyond loopback. */
    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** After the tenants file is read (the default priority), so that its verified callers are known. */
    void warnWhenOpen(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event,
                      TenantDirectory tenants) {
        openWarning(tenants.current()).ifPresent(LOG::warn);
    }

    /** What to warn about when anyone on the network could spend as any tenant. */
    Optional<String> openWarning(Tenants tenants) {
        if (!beyondLoopback || tenants.all().stream().anyMatch(ListenerExposure::verifiable)) {
            return Optional.empty();
        }
        return Optional.of("LISTENING BEYOND LOOPBACK WITHOUT CALLER VERIFICATION: quarkus.http.host=" + host
                + ", and no tenant has an access key with a secretEnv or an apiKey. Anyone who reaches this port can"
                + " send Bedrock calls on this proxy's AWS credentials as any tenant (X-Tenant-Id and tag headers are"
                + " claims). Bind to 127.0.0.1, or give tenants signing secrets or API keys.");
    }

    private static boolean verifiable(Tenant tenant) {
        return !tenant.apiKeySha256().isEmpty()
                || tenant.accessKeys().stream().anyMatch(key -> key.secretAccessKey().isPresent());
    }
}
