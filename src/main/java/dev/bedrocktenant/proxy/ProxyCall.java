package dev.bedrocktenant.proxy;

import java.util.Optional;

import dev.bedrocktenant.attribution.UpstreamStamp;
import dev.bedrocktenant.budget.Admitted;
import dev.bedrocktenant.budget.Reservation;
import dev.bedrocktenant.metering.MeteredCall;
import dev.bedrocktenant.profile.ModelTarget;
import dev.bedrocktenant.tenant.Identity;
import dev.bedrocktenant.usage.Usage;
import dev.bedrocktenant.wire.AsyncInvokeBody;
import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.InboundRequest;
import dev.bedrocktenant.wire.RouteMatch;

/**
 * Everything the proxy knows about one request, passed from stage to stage. Each stage returns a
 * copy with its part filled in; a part is empty until its stage has run.
 *
 * @param requestId        the proxy's own id, until Bedrock answers with its x-amzn-RequestId
 * @param requestedModelId the model id the application asked for (decoded), when the operation has one
 * @param identity         who is calling (after identification)
 * @param target           what the model id becomes upstream (after profile resolution; empty for
 *                         operations without a model)
 * @param stamp            what attribution changes upstream: metadata, service tier (after attribution)
 * @param admitted         what it holds of its tenant's limits (after admission)
 */
public record ProxyCall(String requestId,
                        long startNanos,
                        InboundRequest inbound,
                        RouteMatch route,
                        Optional<String> requestedModelId,
                        Optional<Identity> identity,
                        Optional<ModelTarget> target,
                        Optional<UpstreamStamp> stamp,
                        Optional<Admitted> admitted) {

    /** A call whose operation is known; its body is not read yet. */
    public static ProxyCall started(String requestId, long startNanos, InboundRequest inbound, RouteMatch route) {
        return new ProxyCall(requestId, startNanos, inbound, route, route.modelId(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** The call with its body read; StartAsyncInvoke's model id comes from the body. */
    public ProxyCall withBody(InboundRequest complete) {
        Optional<String> modelId = route.operation().modelIdIn == BedrockOperation.ModelIdIn.BODY
                ? AsyncInvokeBody.modelId(complete.body())
                : requestedModelId;
        return new ProxyCall(requestId, startNanos, complete, route, modelId, identity, target, stamp, admitted);
    }

    public BedrockOperation operation() {
        return route.operation();
    }

    public ProxyCall identifiedAs(Identity identity) {
        return new ProxyCall(requestId, startNanos, inbound, route, requestedModelId, Optional.of(identity), target, stamp, admitted);
    }

    public ProxyCall targeting(ModelTarget target) {
        return new ProxyCall(requestId, startNanos, inbound, route, requestedModelId, identity, Optional.of(target), stamp, admitted);
    }

    public ProxyCall stamped(UpstreamStamp stamp) {
        return new ProxyCall(requestId, startNanos, inbound, route, requestedModelId, identity, target, Optional.of(stamp), admitted);
    }

    public ProxyCall admittedAs(Admitted admitted) {
        return new ProxyCall(requestId, startNanos, inbound, route, requestedModelId, identity, target, stamp, Optional.of(admitted));
    }

    /** What the call is priced as: the routing it uses, else the model as asked for. */
    public String pricedModelId() {
        String model = requestedModelId.orElse(Usage.NO_MODEL);
        return target.map(ModelTarget::pricedModelId).orElse(model);
    }

    /**
     * What metering puts on record.
     *
     * @param unidentified whom a call refused before identification is accounted to
     */
    public MeteredCall metered(String unidentified) {
        return new MeteredCall(requestId, startNanos, identity.map(i -> i.tenant().id()).orElse(unidentified),
                requestedModelId.orElse(Usage.NO_MODEL), pricedModelId(), target.flatMap(ModelTarget::profileArn),
                operation().awsName, admitted.map(Admitted::reservation).orElse(Reservation.NONE));
    }
}
