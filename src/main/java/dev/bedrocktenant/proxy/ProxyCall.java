package dev.bedrocktenant.proxy;

import java.util.Optional;

import dev.bedrocktenant.profile.ModelTarget;
import dev.bedrocktenant.tenant.Identity;

/**
 * Everything the proxy knows about one request, passed from stage to stage. Each stage returns a
 * copy with its part filled in; a later part is null until its stage has run.
 *
 * @param requestId        the proxy's own id, until Bedrock answers with its x-amzn-RequestId
 * @param requestedModelId the model id the application asked for (decoded), when the operation has one
 * @param identity         who is calling (after identification)
 * @param target           what the model id becomes upstream (after profile resolution; null for
 *                         operations without a model)
 */
public record ProxyCall(String requestId,
                        long startNanos,
                        InboundRequest inbound,
                        RouteMatch route,
                        Optional<String> requestedModelId,
                        Identity identity,
                        ModelTarget target) {

    /** A call whose operation is known; its body is not read yet. */
    public static ProxyCall started(String requestId, long startNanos, InboundRequest inbound, RouteMatch route) {
        return new ProxyCall(requestId, startNanos, inbound, route, route.modelId(), null, null);
    }

    /** The call with its body read; StartAsyncInvoke's model id comes from the body. */
    public ProxyCall withBody(InboundRequest complete) {
        Optional<String> modelId = route.operation().modelIdIn == BedrockOperation.ModelIdIn.BODY
                ? AsyncInvokeBody.modelId(complete.body())
                : requestedModelId;
        return new ProxyCall(requestId, startNanos, complete, route, modelId, identity, target);
    }

    public BedrockOperation operation() {
        return route.operation();
    }

    public ProxyCall identifiedAs(Identity identity) {
        return new ProxyCall(requestId, startNanos, inbound, route, requestedModelId, identity, target);
    }

    public ProxyCall targeting(ModelTarget target) {
        return new ProxyCall(requestId, startNanos, inbound, route, requestedModelId, identity, target);
    }
}
