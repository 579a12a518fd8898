package dev.bedrocktenant.attribution;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.profile.ProfilesConfig;
import dev.bedrocktenant.tenant.ServiceTierPolicy;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.wire.BedrockHeaders;
import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.InboundRequest;
import dev.bedrocktenant.wire.ProxyRefusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Makes AWS's own records name the tenant: stamps it into Bedrock's per-request metadata (recorded in model
 * invocation logs) and applies its service-tier policy, server-side, so an application can never forge either.
 * Converse and ConverseStream carry both in the body; InvokeModel and InvokeModelWithResponseStream in headers.
 */
@ApplicationScoped
public class Attribution {

    static final String TIER_HEADER = BedrockHeaders.SERVICE_TIER.toLowerCase(Locale.ROOT);

    private final boolean stampMetadata;
    private final String tagKey;

    @Inject
    public Attribution(RequestMetadataConfig metadata, ProfilesConfig profiles) {
        this(metadata.enabled(), profiles.tagKey());
    }

    /** For bench/: the same stamping without configuration. */
    Attribution(boolean stampMetadata, String tagKey) {
        this.stampMetadata = stampMetadata;
        this.tagKey = tagKey;
    }

    /** @throws ProxyRefusal when the tier is forbidden or the metadata cannot fit */
    public UpstreamStamp stamp(Tenant tenant, BedrockOperation operation, InboundRequest inbound) {
        return switch (operation) {
            case CONVERSE, CONVERSE_STREAM -> inBody(tenant, inbound);
            case INVOKE_MODEL, INVOKE_MODEL_WITH_RESPONSE_STREAM -> inHeaders(tenant, inbound);
            default -> UpstreamStamp.NONE;
        };
    }

    private UpstreamStamp inBody(Tenant tenant, InboundRequest inbound) {
        ServiceTierPolicy policy = tenant.serviceTier();
        if (!stampMetadata && !policy.constrains()) {
            return UpstreamStamp.NONE;
        }
        byte[] bytes = inbound.body().getBytes();
        ConverseBody body = ConverseBody.read(bytes);
        Optional<String> metadata = stampMetadata
                ? Optional.of(MetadataJson.write(MetadataMerge.merge(body.metadata(), TenantMetadata.of(tenant, tagKey))))
                : Optional.empty();
        Optional<String> tier = policy.tierFor(tenant.id(), body.tier());
        Optional<String> tierJson = policy.forced().isPresent() ? tier.map(ConverseBody::tierJson) : Optional.empty();
        if (metadata.isEmpty() && tierJson.isEmpty()) {
            return UpstreamStamp.NONE; // an allowed tier, metadata off: the body goes as it came
        }
        return new UpstreamStamp(Optional.of(body.with(bytes, metadata, tierJson)), Map.of());
    }

    private UpstreamStamp inHeaders(Tenant tenant, InboundRequest inbound) {
        Map<String, String> headers = new HashMap<>(2);
        if (stampMetadata) {
            Map<String, String> sent = MetadataHeader.read(inbound.headers().getAll(MetadataHeader.NAME));
            headers.put(MetadataHeader.NAME, MetadataHeader.write(MetadataMerge.merge(sent, TenantMetadata.of(tenant, tagKey))));
        }
        ServiceTierPolicy policy = tenant.serviceTier();
        if (policy.constrains()) {
            List<String> sent = inbound.headers().getAll(TIER_HEADER);
            if (sent.size() > 1) {
                throw ProxyRefusal.validation(BedrockHeaders.SERVICE_TIER + " is sent " + sent.size() + " times");
            }
            Optional<String> requested = sent.stream().map(String::trim).filter(v -> !v.isEmpty()).findFirst();
            policy.tierFor(tenant.id(), requested).ifPresent(tier -> headers.put(TIER_HEADER, tier));
        }
        return new UpstreamStamp(Optional.empty(), Map.copyOf(headers));
    }
}
