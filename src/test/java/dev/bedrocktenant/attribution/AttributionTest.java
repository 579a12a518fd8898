package dev.bedrocktenant.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.bedrocktenant.tenant.ServiceTierPolicy;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.InboundRequest;
import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** With request metadata switched off, only the tier policy changes what is sent; operations without either are left alone. */
class AttributionTest {

    static final String BODY = "{\"messages\":[],\"requestMetadata\":{\"TenantID\":\"globex\"}}";

    private static Tenant tenant(ServiceTierPolicy policy) {
        return new Tenant("acme", Map.of(), List.of(), Set.of(), Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true, policy, Optional.empty());
    }

    private static InboundRequest request(MultiMap headers) {
        return new InboundRequest("POST", "localhost", "/model/m/converse", null, headers,
                Buffer.buffer(BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void metadataOffForwardsTheApplicationsOwnAndAppliesTheTierPolicyAlone() {
        Attribution off = new Attribution(false, "TenantID");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Amzn-Bedrock-Request-Metadata", "{\"TenantID\":\"globex\"}");
        assertEquals(UpstreamStamp.NONE, off.stamp(tenant(ServiceTierPolicy.PASS), BedrockOperation.CONVERSE, request(headers)));
        assertEquals(UpstreamStamp.NONE, off.stamp(tenant(ServiceTierPolicy.allow(Set.of("default"))),
                BedrockOperation.CONVERSE, request(headers)));
        assertEquals("{\"serviceTier\":{\"type\":\"flex\"},\"messages\":[],\"requestMetadata\":{\"TenantID\":\"globex\"}}",
                off.stamp(tenant(ServiceTierPolicy.force("flex")), BedrockOperation.CONVERSE_STREAM, request(headers))
                        .body().orElseThrow().toString(StandardCharsets.UTF_8));
        assertEquals(new UpstreamStamp(Optional.empty(), Map.of("x-amzn-bedrock-service-tier", "flex")),
                off.stamp(tenant(ServiceTierPolicy.force("flex")), BedrockOperation.INVOKE_MODEL, request(headers)));
    }

    @Test
    void operationsWithoutMetadataOrTierAreNotTouched() {
        Attribution on = new Attribution(true, "TenantID");
        for (BedrockOperation op : List.of(BedrockOperation.COUNT_TOKENS, BedrockOperation.START_ASYNC_INVOKE,
                BedrockOperation.APPLY_GUARDRAIL)) {
            assertEquals(UpstreamStamp.NONE, on.stamp(tenant(ServiceTierPolicy.force("flex")), op,
                    request(MultiMap.caseInsensitiveMultiMap())), op.awsName);
        }
    }

    @Test
    void invokeModelsHeadersAreMergedAndNeverSentTwice() {
        Attribution on = new Attribution(true, "TenantID");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("X-Amzn-Bedrock-Request-Metadata", "{\"tenantID\":\"globex\",\"run\":\"7\"}");
        assertEquals(Map.of("x-amzn-bedrock-request-metadata", "{\"run\":\"7\",\"TenantID\":\"acme\"}"),
                on.stamp(tenant(ServiceTierPolicy.PASS), BedrockOperation.INVOKE_MODEL_WITH_RESPONSE_STREAM, request(headers))
                        .headers());
        headers.add("x-amzn-bedrock-service-tier", "flex").add("X-Amzn-Bedrock-Service-Tier", "priority");
        assertEquals("X-Amzn-Bedrock-Service-Tier is sent 2 times", assertThrows(ProxyRefusal.class,
                () -> on.stamp(tenant(ServiceTierPolicy.allow(Set.of("flex"))), BedrockOperation.INVOKE_MODEL, request(headers)))
                .getMessage());
        headers.add("X-Amzn-Bedrock-Request-Metadata", "{}");
        assertEquals("X-Amzn-Bedrock-Request-Metadata is sent 2 times", assertThrows(ProxyRefusal.class,
                () -> on.stamp(tenant(ServiceTierPolicy.PASS), BedrockOperation.INVOKE_MODEL, request(headers))).getMessage());
    }
}
