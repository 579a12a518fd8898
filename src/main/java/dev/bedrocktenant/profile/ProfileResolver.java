package dev.bedrocktenant.profile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Decides what model id a tenant's request is forwarded with: the tenant's application inference profile
 * (from the tenants file, discovered in the account, or created), the base model for CountTokens, or —
 * when allowed — the id unchanged. A Uni because a miss is looked up in the control plane.
 */
@ApplicationScoped
public class ProfileResolver {

    private final ProfileConfig config;
    private final ProfileCatalog catalog;

    /** Tenants file only, no control plane. */
    public ProfileResolver(ProfileConfig config) {
        this(config, ProfileCatalog.off("TenantID", "us-east-1"));
    }

    @Inject
    public ProfileResolver(ProfileConfig config, ProfileCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    /** Fails with ProxyRefusal AccessDenied for a disallowed or unmapped model (unmapped-model=reject). */
    public Uni<ModelTarget> resolve(Tenant tenant, BedrockOperation operation, String requestedModelId) {
        try {
            return resolveNow(tenant, operation, requestedModelId);
        } catch (ProxyRefusal refusal) {
            return Uni.createFrom().failure(refusal);
        }
    }

    private Uni<ModelTarget> resolveNow(Tenant tenant, BedrockOperation operation, String requested) {
        if (requested == null || requested.isBlank()) {
            if (operation.rewrite == BedrockOperation.Rewrite.NONE) {
                return Uni.createFrom().item(unchanged(requested));
            }
            throw ProxyRefusal.validation(operation.awsName + " needs a modelId");
        }
        ModelId model = ModelId.parse(requested);
        Optional<String> base = baseModelOf(tenant, model);
        requireAllowed(tenant, model, base);
        Uni<ModelTarget> target = switch (operation.rewrite) {
            case NONE -> Uni.createFrom().item(unchanged(requested));
            case TO_BASE_MODEL -> Uni.createFrom().item(base
                    .map(b -> new ModelTarget(requested, b, Optional.empty(), ModelTarget.Source.BASE_MODEL))
                    .orElseGet(() -> unchanged(requested)));
            case TO_PROFILE -> toProfile(tenant, model, base);
        };
        if (model.kind() == ModelId.Kind.APPLICATION_INFERENCE_PROFILE_ARN) {
            Optional<String> copied = copiedModelOf(tenant, model);
            return copied.isEmpty() ? target : target.map(t -> t.pricedAs(copied.get()));
        }
        return target;
    }

    /**
     * The tenants file, then what discovery knows (from memory), then one lookup (or creation) on a miss;
     * never a profile that routes outside the request's routing. Every wait on the control plane — for
     * the first listing, a lookup, a creation — falls within one lookup-timeout.
     */
    private Uni<ModelTarget> toProfile(Tenant tenant, ModelId model, Optional<String> base) {
        Optional<String> fileArn = profileOf(tenant, model, base);
        if (fileArn.isPresent() && fileArn.get().equals(model.raw())) {
            // the application names one of its own tenant's profiles: kept as it asked
            return Uni.createFrom().item(fromFile(model, fileArn.get(), Optional.empty()));
        }
        if (!catalog.enabled()) {
            return Uni.createFrom().item(fileArn.map(arn -> fromFile(model, arn, Optional.empty()))
                    .orElseGet(() -> unmapped(tenant, model, Optional.empty(), List.of())));
        }
        Routing routing = Routing.requestedBy(model, catalog.settings().region());
        if (fileArn.isPresent() && !catalog.listedOnce()) {
            // whether the tenants file's profile keeps to the routing is known once the account is listed
            return deadline(Uni.createFrom().completionStage(catalog::firstListing).flatMap(listed ->
                    fromMemory(tenant, model, base, fileArn, routing).map(t -> Uni.createFrom().item(t))
                            .orElseGet(() -> lookUp(tenant, model, base.orElseThrow(), fileArn))), tenant, model);
        }
        Optional<ModelTarget> known = fromMemory(tenant, model, base, fileArn, routing);
        return known.isPresent() ? Uni.createFrom().item(known.get())
                : deadline(lookUp(tenant, model, base.orElseThrow(), fileArn), tenant, model);
    }

    /** The tenants file's profile where it keeps to the routing, else the best known; empty when a lookup is needed. */
    private Optional<ModelTarget> fromMemory(Tenant tenant, ModelId model, Optional<String> base, Optional<String> fileArn,
                                             Routing routing) {
        Optional<DiscoveredProfile> fileProfile = fileArn.flatMap(catalog::listed);
        if (fileArn.isPresent() && fileProfile.map(p -> p.serves(routing)).orElse(true)) {
            // a profile the account does not list (another account's, say) is trusted as the file says
            return Optional.of(fromFile(model, fileArn.get(), fileProfile));
        }
        if (base.isEmpty()) {
            return Optional.of(unmapped(tenant, model, Optional.empty(), fileProfile.stream().toList()));
        }
        ProfileRequest request = ProfileRequest.of(tenant, catalog.tagKey(), model, base.get(), catalog.settings().region());
        return catalog.known(request).map(entry -> toEntry(model, entry));
    }

    private Uni<ModelTarget> lookUp(Tenant tenant, ModelId model, String base, Optional<String> fileArn) {
        ProfileRequest request = ProfileRequest.of(tenant, catalog.tagKey(), model, base, catalog.settings().region());
        Optional<DiscoveredProfile> fileProfile = fileArn.flatMap(catalog::listed);
        return Uni.createFrom().completionStage(() -> catalog.lookup(request))
                .map(found -> found.entry().map(e -> toEntry(model, e)).orElseGet(() -> unmapped(tenant, model,
                        found.failure(), candidates(request, fileProfile))));
    }

    /**
     * At most lookup-timeout in all, then as unmapped (refused, or forwarded unchanged under passthrough); the lookup
     * itself goes on for later requests. Lookups complete on SDK threads: the request carries on where it was served.
     */
    private Uni<ModelTarget> deadline(Uni<ModelTarget> waiting, Tenant tenant, ModelId model) {
        Duration timeout = catalog.settings().lookupTimeout();
        Uni<ModelTarget> bounded = waiting.ifNoItem().after(timeout).recoverWithUni(() -> Uni.createFrom().item(() ->
                unmapped(tenant, model, Optional.of("it did not answer within " + timeout.toMillis()
                        + " ms (proxy.profiles.lookup-timeout)"), List.of())));
        Context caller = Vertx.currentContext();
        return caller == null ? bounded : bounded.emitOn(task -> caller.runOnContext(v -> task.run()));
    }

    /** The tenants file's profile, priced as the routing it uses where the account lists its Regions. */
    private static ModelTarget fromFile(ModelId model, String arn, Optional<DiscoveredProfile> listed) {
        ModelTarget target = new ModelTarget(model.raw(), arn, Optional.of(arn), ModelTarget.Source.TENANTS_FILE);
        return listed.flatMap(ProfileResolver::routedModelId).map(target::pricedAs).orElse(target);
    }

    private static ModelTarget toEntry(ModelId model, ProfileCatalog.Entry entry) {
        String arn = entry.profile().arn();
        ModelTarget target = new ModelTarget(model.raw(), arn, Optional.of(arn), entry.source());
        return routedModelId(entry.profile()).map(target::pricedAs).orElse(target);
    }

    /** The model id of the routing a profile uses ({@code eu.<model>}, {@code global.<model>}, the bare id): its price. */
    private static Optional<String> routedModelId(DiscoveredProfile profile) {
        return profile.baseModelId().flatMap(b -> profile.routing().map(r -> r.modelIdFor(b)));
    }

    /** The tenant's profiles of the model that exist but route elsewhere: named in the refusal. */
    private List<DiscoveredProfile> candidates(ProfileRequest request, Optional<DiscoveredProfile> fileProfile) {
        List<DiscoveredProfile> all = new ArrayList<>();
        fileProfile.ifPresent(all::add);
        catalog.knownFor(request.key()).forEach(e -> all.add(e.profile()));
        return all;
    }

    /** No profile; under passthrough forwarded as is — also when the control plane could not say. */
    private ModelTarget unmapped(Tenant tenant, ModelId model, Optional<String> lookupFailure,
                                 List<DiscoveredProfile> routingElsewhere) {
        if (config.unmappedModel() == ProfileConfig.UnmappedModel.PASSTHROUGH) {
            Optional<String> owner = otherTenantTagOf(tenant, model);
            if (owner.isPresent()) {
                // forwarded as named, another tenant's profile would bill its owner: no tenant spends as another
                throw ProxyRefusal.accessDenied("tenant " + tenant.id() + " may not call application inference profile "
                        + model.raw() + ": it is tagged " + catalog.tagKey() + "=" + owner.get() + ", another tenant's");
            }
            return unchanged(model.raw());
        }
        if (lookupFailure.isPresent()) {
            throw ProxyRefusal.accessDenied("tenant " + tenant.id() + " has no application inference profile for model "
                    + model.raw() + " known to the proxy, and it could not be looked up in the Bedrock control plane: "
                    + lookupFailure.get());
        }
        if (!routingElsewhere.isEmpty()) {
            Routing routing = Routing.requestedBy(model, catalog.settings().region());
            throw ProxyRefusal.accessDenied("tenant " + tenant.id() + " has no application inference profile for model "
                    + model.raw() + " that keeps to its routing " + routing + " (" + describe(routing) + "); its profiles of "
                    + "that model route elsewhere: " + routingElsewhere.stream()
                    .map(p -> p.arn() + " (" + p.routing().map(Object::toString).orElse("?") + ": "
                            + String.join(", ", new TreeSet<>(p.regions())) + ")").toList()
                    + ". The proxy never sends a request outside the Regions its model id asks for: add a profile that"
                    + " copies " + model.raw() + ", or call a model id whose routing holds these Regions");
        }
        throw ProxyRefusal.accessDenied("tenant " + tenant.id() + " has no application inference profile for model "
                + model.raw() + (catalog.enabled()
                ? " (none tagged " + catalog.tagKey() + "=" + ProfileRequest.tenantTagOf(tenant, catalog.tagKey())
                + " in the account; add one to the tenant's profiles in the tenants file, or tag one)"
                : " (add one to the tenant's profiles in the tenants file)"));
    }

    /**
     * The tenant tag of an application profile the account lists for another tenant; empty for the tenant's own, an
     * untagged (shared) one, or one the account does not list.
     */
    private Optional<String> otherTenantTagOf(Tenant tenant, ModelId profile) {
        if (profile.kind() != ModelId.Kind.APPLICATION_INFERENCE_PROFILE_ARN || !catalog.enabled()) {
            return Optional.empty();
        }
        String tenantTag = ProfileRequest.tenantTagOf(tenant, catalog.tagKey());
        return catalog.listed(profile.raw()).map(p -> p.tags().get(catalog.tagKey()))
                .filter(owner -> !owner.equals(tenantTag));
    }

    private static String describe(Routing routing) {
        return switch (routing.scope()) {
            case REGION -> "only Region " + routing.name();
            case GEOGRAPHY -> "Regions of geography " + routing.name();
            case GLOBAL -> "any Region";
        };
    }

    /**
     * By the id as requested first, so a tenant can map one geography differently from the base model. An
     * id that is one of the tenant's own profiles is itself.
     */
    private static Optional<String> profileOf(Tenant tenant, ModelId model, Optional<String> base) {
        Map<String, String> profiles = tenant.profiles();
        if (profiles.containsValue(model.raw())) {
            return Optional.of(model.raw());
        }
        return Optional.ofNullable(profiles.get(model.raw())).or(() -> base.map(profiles::get));
    }

    /**
     * The foundation model behind the id. For one of the tenant's own application profiles, the tenants
     * file says which model it copies even though the ARN does not.
     */
    private static Optional<String> baseModelOf(Tenant tenant, ModelId model) {
        if (model.baseModelId().isPresent()) {
            return model.baseModelId();
        }
        return modelIdsMappedTo(tenant, model)
                .map(id -> ModelId.parse(id).baseModelId())
                .flatMap(Optional::stream)
                .findFirst();
    }

    /**
     * What an application profile the application named itself copies, to price the call by: the tenants
     * file's model id for it (most specific, e.g. with its cross-region prefix), else what discovery saw.
     */
    private Optional<String> copiedModelOf(Tenant tenant, ModelId profile) {
        return modelIdsMappedTo(tenant, profile).findFirst()
                .or(() -> catalog.listed(profile.raw()).flatMap(ProfileResolver::routedModelId));
    }

    /** The tenants file's model ids whose profile is {@code profile} (an application profile ARN). */
    private static Stream<String> modelIdsMappedTo(Tenant tenant, ModelId profile) {
        return tenant.profiles().entrySet().stream()
                .filter(e -> e.getValue().equals(profile.raw()))
                .map(Map.Entry::getKey);
    }

    private static void requireAllowed(Tenant tenant, ModelId model, Optional<String> base) {
        tenant.allowedModels().ifPresent(allowed -> {
            boolean isAllowed = allowed.contains(model.raw()) || base.filter(allowed::contains).isPresent();
            if (!isAllowed) {
                throw ProxyRefusal.accessDenied("tenant " + tenant.id() + " may not call model " + model.raw()
                        + " (not in its allowedModels)");
            }
        });
    }

    private static ModelTarget unchanged(String requested) {
        return new ModelTarget(requested, requested, Optional.empty(), ModelTarget.Source.PASSTHROUGH);
    }
}
