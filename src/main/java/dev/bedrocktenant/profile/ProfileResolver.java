package dev.bedrocktenant.profile;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.bedrocktenant.proxy.BedrockOperation;
import dev.bedrocktenant.proxy.ProxyRefusal;
import dev.bedrocktenant.tenant.Tenant;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Decides what model id a tenant's request is forwarded with (CONTRACT §4): the tenant's application
 * inference profile from the tenants file, the base model for CountTokens, or — when allowed — the id
 * unchanged. A Uni because discovery from the control plane will make some lookups asynchronous.
 */
@ApplicationScoped
public class ProfileResolver {

    private final ProfileConfig config;
    private final ProfileCatalog catalog;

    /** Tenants file only, no control plane. */
    public ProfileResolver(ProfileConfig config) {
        this(config, ProfileCatalog.off("TenantID"));
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

    /** Tenants file, then what discovery knows (from memory), then one lookup (or creation) on a miss. */
    private Uni<ModelTarget> toProfile(Tenant tenant, ModelId model, Optional<String> base) {
        Optional<String> arn = profileOf(tenant, model, base);
        if (arn.isPresent()) {
            return Uni.createFrom().item(new ModelTarget(model.raw(), arn.get(), arn, ModelTarget.Source.TENANTS_FILE));
        }
        if (base.isEmpty() || !catalog.enabled()) {
            return Uni.createFrom().item(unmapped(tenant, model, Optional.empty()));
        }
        ProfileRequest request = ProfileRequest.of(tenant, catalog.tagKey(), model, base.get());
        Optional<ProfileCatalog.Entry> known = catalog.known(request.key());
        if (known.isPresent()) {
            return Uni.createFrom().item(toEntry(model, known.get()));
        }
        Context caller = Vertx.currentContext();
        Uni<ProfileLookup> lookup = Uni.createFrom().completionStage(() -> catalog.lookup(request));
        if (caller != null) {
            // the lookup completes on an SDK thread: carry on where the request was being served
            lookup = lookup.emitOn(task -> caller.runOnContext(v -> task.run()));
        }
        return lookup.map(found -> found.entry().map(e -> toEntry(model, e))
                .orElseGet(() -> unmapped(tenant, model, found.failure())));
    }

    private static ModelTarget toEntry(ModelId model, ProfileCatalog.Entry entry) {
        String arn = entry.profile().arn();
        return new ModelTarget(model.raw(), arn, Optional.of(arn), entry.source());
    }

    /** No profile; under passthrough forwarded as is — also when the control plane could not say. */
    private ModelTarget unmapped(Tenant tenant, ModelId model, Optional<String> lookupFailure) {
        if (config.unmappedModel() == ProfileConfig.UnmappedModel.PASSTHROUGH) {
            return unchanged(model.raw());
        }
        if (lookupFailure.isPresent()) {
            throw ProxyRefusal.accessDenied("tenant " + tenant.id() + " has no application inference profile for model "
                    + model.raw() + " known to the proxy, and it could not be looked up in the Bedrock control plane: "
                    + lookupFailure.get());
        }
        throw ProxyRefusal.accessDenied("tenant " + tenant.id() + " has no application inference profile for model "
                + model.raw() + (catalog.enabled()
                ? " (none tagged " + catalog.tagKey() + "=" + ProfileRequest.tenantTagOf(tenant, catalog.tagKey())
                + " in the account; add one to the tenant's profiles in the tenants file, or tag one)"
                : " (add one to the tenant's profiles in the tenants file)"));
    }

    /** By the id as requested first, so a tenant can map one geography differently from the base model. */
    private static Optional<String> profileOf(Tenant tenant, ModelId model, Optional<String> base) {
        Map<String, String> profiles = tenant.profiles();
        if (profiles.containsValue(model.raw())) {
            // the application already names one of its own tenant's profiles: kept, not swapped for the
            // profile of its base model (which may be in another geography)
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
        return modelIdsMappedTo(tenant, profile).findFirst().or(() -> catalog.copiedModelOf(profile.raw()));
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
