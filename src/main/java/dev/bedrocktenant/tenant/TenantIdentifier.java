package dev.bedrocktenant.tenant;

import java.util.List;
import java.util.Optional;

import dev.bedrocktenant.signing.CallerCredential;
import dev.bedrocktenant.signing.SignatureVerifier;
import dev.bedrocktenant.wire.InboundRequest;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Finds the tenant a request is for (docs/reference.md §2): tenant header, then tag headers, then the caller's
 * access key or API key. A tenant proven by a verified signature or an API key cannot be overridden by
 * headers naming another one, so one tenant's application cannot spend as another.
 */
@ApplicationScoped
public class TenantIdentifier {

    private static final String BEARER = "Bearer ";
    private static final int SHOWN_MATCHES = 10;

    private final TenantDirectory directory;
    private final SignatureVerifier verifier;
    private final String tenantHeader;
    private final String tagPrefix;
    private final UnknownTenantPolicy unknownTenant;

    @Inject
    public TenantIdentifier(TenantDirectory directory, TenantConfig config) {
        this(directory, config, new SignatureVerifier());
    }

    public TenantIdentifier(TenantDirectory directory, TenantConfig config, SignatureVerifier verifier) {
        this.directory = directory;
        this.verifier = verifier;
        this.tenantHeader = config.tenantHeader();
        this.tagPrefix = config.tagHeaderPrefix();
        this.unknownTenant = UnknownTenantPolicy.parse(config.unknownTenant());
    }

    /** @throws ProxyRefusal AccessDenied when no tenant matches (and unknown-tenant=reject), tags are ambiguous, or a signature is wrong */
    public Identity identify(InboundRequest request) {
        Tenants tenants = directory.current();
        MultiMap headers = request.headers();
        // checked whatever the headers say: a wrong signature is refused, never silently ignored
        Optional<Identity> proven = byCredential(request, tenants);
        Optional<Identity> named = byTenantHeader(headers, tenants);
        if (named.isEmpty()) {
            named = byTags(headers, tenants, proven.map(Identity::tenant));
        }
        if (proven.isPresent() && isProof(proven.get())) {
            Identity proof = proven.get();
            named.filter(n -> !n.tenant().id().equals(proof.tenant().id())).ifPresent(n -> {
                throw ProxyRefusal.accessDenied("the request is authenticated as tenant " + proof.tenant().id()
                        + " (" + describe(proof.by()) + ") but the " + describe(n.by()) + " ask for tenant " + n.tenant().id());
            });
            return proof;
        }
        return named.or(() -> proven).orElseGet(() -> unidentified(request, tenants));
    }

    /**
     * The tenant a request's tenant header names, when the tenants file defines it: whom a request refused
     * before it was identified is accounted to. Never throws; a value naming no tenant (or several values)
     * names none, so a caller cannot mint tenant labels or ledger tenants of its own.
     */
    public Optional<Tenant> namedByHeader(MultiMap headers) {
        List<String> values = tenantHeaderValues(headers);
        return values.size() == 1 ? directory.current().byId(values.get(0)) : Optional.empty();
    }

    /** True for the tenant header and tag headers, which the proxy strips before forwarding. */
    public boolean isTenantHeader(String headerName) {
        return headerName.equalsIgnoreCase(tenantHeader)
                || headerName.regionMatches(true, 0, tagPrefix, 0, tagPrefix.length());
    }

    private List<String> tenantHeaderValues(MultiMap headers) {
        return headers.getAll(tenantHeader).stream().map(String::trim).filter(v -> !v.isEmpty()).distinct().toList();
    }

    private Optional<Identity> byTenantHeader(MultiMap headers, Tenants tenants) {
        List<String> values = tenantHeaderValues(headers);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ProxyRefusal.accessDenied("the request names several tenants in " + tenantHeader + ": " + values);
        }
        String id = values.get(0);
        Tenant tenant = tenants.byId(id).orElseThrow(() -> ProxyRefusal.accessDenied(
                "unknown tenant '" + id + "' in header " + tenantHeader + ": the tenants file does not define it"));
        return Optional.of(new Identity(tenant, Identity.IdentifiedBy.TENANT_HEADER));
    }

    /** @param proven the tenant the caller's credentials prove, which settles otherwise ambiguous tags */
    private Optional<Identity> byTags(MultiMap headers, Tenants tenants, Optional<Tenant> proven) {
        TagHeaders tags = TagHeaders.of(headers, tagPrefix);
        if (tags.isEmpty()) {
            return Optional.empty();
        }
        List<Tenant> matches = tags.matches(tenants);
        if (matches.size() > 1 && proven.isPresent() && matches.contains(proven.get())) {
            return Optional.of(new Identity(proven.get(), Identity.IdentifiedBy.TAG_HEADERS));
        }
        if (matches.size() > 1) {
            throw ProxyRefusal.accessDenied("the tag headers " + tags + " are ambiguous: they match tenants "
                    + someOf(matches) + "; send more tags, or " + tenantHeader);
        }
        return matches.stream().findFirst().map(t -> new Identity(t, Identity.IdentifiedBy.TAG_HEADERS));
    }

    /** At most ten ids: a tag every tenant has would otherwise put the whole tenants file into one message. */
    private static String someOf(List<Tenant> matches) {
        List<String> ids = matches.stream().map(Tenant::id).sorted().limit(SHOWN_MATCHES).toList();
        String more = matches.size() > SHOWN_MATCHES ? ", … " + (matches.size() - SHOWN_MATCHES) + " more" : "";
        return "[" + String.join(", ", ids) + more + "]";
    }

    private Optional<Identity> byCredential(InboundRequest request, Tenants tenants) {
        String authorization = request.headers().get("Authorization");
        if (authorization == null) {
            return Optional.empty();
        }
        if (authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String hash = TenantKeys.sha256Hex(authorization.substring(BEARER.length()).trim());
            return tenants.byApiKeySha256(hash).map(t -> new Identity(t, Identity.IdentifiedBy.API_KEY));
        }
        Optional<CallerCredential> credential = CallerCredential.parse(authorization);
        Optional<Tenants.KeyOwner> owner = credential.flatMap(c -> tenants.byAccessKeyId(c.accessKeyId()));
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> secret = owner.get().key().secretAccessKey();
        if (secret.isEmpty()) {
            return Optional.of(new Identity(owner.get().tenant(), Identity.IdentifiedBy.ACCESS_KEY));
        }
        verifier.verify(request, credential.get(), secret.get()).ifPresent(why -> {
            throw ProxyRefusal.accessDenied("bad signature for access key " + credential.get().accessKeyId()
                    + " of tenant " + owner.get().tenant().id() + ": " + why);
        });
        return Optional.of(new Identity(owner.get().tenant(), Identity.IdentifiedBy.VERIFIED_SIGNATURE));
    }

    private Identity unidentified(InboundRequest request, Tenants tenants) {
        if (unknownTenant.defaultTenant().isPresent()) {
            String id = unknownTenant.defaultTenant().get();
            Tenant tenant = tenants.byId(id).orElseThrow(() -> ProxyRefusal.accessDenied(
                    "no tenant identified, and the default tenant " + id + " (proxy.unknown-tenant) is not in the tenants file"));
            return new Identity(tenant, Identity.IdentifiedBy.DEFAULT_TENANT);
        }
        StringBuilder why = new StringBuilder("no tenant identified for this request: send the header ")
                .append(tenantHeader).append(": <tenant>, tag headers ").append(tagPrefix)
                .append("<Key>: <Value> matching one tenant's tags, or sign with an access key listed in the tenants file");
        TagHeaders tags = TagHeaders.of(request.headers(), tagPrefix);
        if (!tags.isEmpty()) {
            why.append("; the tag headers sent ").append(tags).append(" match no tenant");
        }
        CallerCredential.parse(request.headers().get("Authorization")).ifPresent(c ->
                why.append("; access key ").append(c.accessKeyId()).append(" is not in the tenants file"));
        throw ProxyRefusal.accessDenied(why.toString());
    }

    private static boolean isProof(Identity identity) {
        return identity.by() == Identity.IdentifiedBy.VERIFIED_SIGNATURE || identity.by() == Identity.IdentifiedBy.API_KEY;
    }

    private String describe(Identity.IdentifiedBy by) {
        return switch (by) {
            case TENANT_HEADER -> "header " + tenantHeader;
            case TAG_HEADERS -> "tag headers";
            case VERIFIED_SIGNATURE -> "verified signature";
            case API_KEY -> "API key";
            default -> by.name();
        };
    }
}
