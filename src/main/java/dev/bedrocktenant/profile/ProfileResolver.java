package dev.bedrocktenant.profile;

import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.proxy.BedrockOperation;
import dev.bedrocktenant.proxy.ProxyRefusal;
import dev.bedrocktenant.tenant.Tenant;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides what model id a tenant's request is forwarded with (CONTRACT §4): the tenant's application
 * inference profile from the tenants file, the base model for CountTokens, or — when allowed — the id
 * unchanged. A Uni because discovery from the control plane will make some lookups asynchronous.
 */
@ApplicationScoped
public class ProfileResolver {

    private final ProfileConfig config;

    public ProfileResolver(ProfileConfig config) {
        this.config = config;
    }

    /** Fails with ProxyRefusal AccessDenied for a disallowed or unmapped model (unmapped-model=reject). */
    public Uni<ModelTarget> resolve(Tenant tenant, BedrockOperation operation, String requestedModelId) {
        try {
            return Uni.createFrom().item(resolveNow(tenant, operation, requestedModelId));
        } catch (ProxyRefusal refusal) {
            return Uni.createFrom().failure(refusal);
        }
    }

    private ModelTarget resolveNow(Tenant tenant, BedrockOperation operation, String requested) {
        if (requested == null || requested.isBlank()) {
            if (operation.rewrite == BedrockOperation.Rewrite.NONE) {
                return unchanged(requested);
            }
            throw ProxyRefusal.validation(operation.awsName + " needs a modelId");
        }
        ModelId model = ModelId.parse(requested);
        Optional<String> base = baseModelOf(tenant, model);
        requireAllowed(tenant, model, base);
        return switch (operation.rewrite) {
            case NONE -> unchanged(requested);
            case TO_BASE_MODEL -> base.map(b -> new ModelTarget(requested, b, Optional.empty(), ModelTarget.Source.BASE_MODEL))
                    .orElseGet(() -> unchanged(requested));
            case TO_PROFILE -> toProfile(tenant, model, base);
        };
    }

    private ModelTarget toProfile(Tenant tenant, ModelId model, Optional<String> base) {
        Optional<String> arn = profileOf(tenant, model, base);
        if (arn.isPresent()) {
            return new ModelTarget(model.raw(), arn.get(), arn, ModelTarget.Source.TENANTS_FILE);
        }
        if (config.unmappedModel() == ProfileConfig.UnmappedModel.PASSTHROUGH) {
            return unchanged(model.raw());
        }
        throw ProxyRefusal.accessDenied("tenant " + tenant.id() + " has no application inference profile for model "
                + model.raw() + " (add one to the tenant's profiles in the tenants file)");
    }

    /** By the id as requested first, so a tenant can map one geography differently from the base model. */
    private static Optional<String> profileOf(Tenant tenant, ModelId model, Optional<String> base) {
        Map<String, String> profiles = tenant.profiles();
        Optional<String> arn = Optional.ofNullable(profiles.get(model.raw()))
                .or(() -> base.map(profiles::get));
        if (arn.isEmpty() && profiles.containsValue(model.raw())) {
            // the application already names one of its own tenant's profiles
            return Optional.of(model.raw());
        }
        return arn;
    }

    /**
     * The foundation model behind the id. For one of the tenant's own application profiles, the tenants
     * file says which model it copies even though the ARN does not.
     */
    private static Optional<String> baseModelOf(Tenant tenant, ModelId model) {
        if (model.baseModelId().isPresent()) {
            return model.baseModelId();
        }
        return tenant.profiles().entrySet().stream()
                .filter(e -> e.getValue().equals(model.raw()))
                .map(e -> ModelId.parse(e.getKey()).baseModelId())
                .flatMap(Optional::stream)
                .findFirst();
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
