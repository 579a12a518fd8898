package dev.bedrocktenant.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.bedrocktenant.attribution.Attribution;
import dev.bedrocktenant.budget.Admission;
import dev.bedrocktenant.budget.Reservation;
import dev.bedrocktenant.metering.MeteredCall;
import dev.bedrocktenant.metering.Metering;
import dev.bedrocktenant.profile.ProfileResolver;
import dev.bedrocktenant.signing.RequestSigner;
import dev.bedrocktenant.stream.ResponseRelay;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantIdentifier;
import dev.bedrocktenant.usage.Usage;
import dev.bedrocktenant.wire.BedrockErrorResponse;
import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.InboundRequest;
import dev.bedrocktenant.wire.OperationMatcher;
import dev.bedrocktenant.wire.ProxyRefusal;
import dev.bedrocktenant.wire.RouteMatch;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.unchecked.Unchecked;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import org.jboss.logging.Logger;

/**
 * One Bedrock Runtime call, start to finish: read the body, identify the tenant, resolve the
 * model to the tenant's profile, sign, forward, and relay the answer as it streams back. Any stage
 * may refuse; a refusal is answered in Bedrock's error shape.
 */
@ApplicationScoped
public class ProxyHandler {

    private static final Logger LOG = Logger.getLogger(ProxyHandler.class);
    /** Hashing 1 MiB takes about 2 ms; beyond that, signing moves off the event loop. */
    static final int SIGN_ON_EVENT_LOOP_MAX_BYTES = 1024 * 1024;

    private final TenantIdentifier tenants;
    private final ProfileResolver profiles;
    private final RequestSigner signer;
    private final UpstreamClient upstream;
    private final long maxRequestBytes;
    private final Vertx vertx;
    private final Metering metering;
    private final Admission admission;
    private final Attribution attribution;
    private final RequestHead head;
    private final Duration bodyTimeout;

    public ProxyHandler(TenantIdentifier tenants, ProfileResolver profiles, RequestSigner signer,
                        UpstreamClient upstream, UpstreamConfig config, RequestConfig requests, Vertx vertx,
                        Metering metering, Admission admission, Attribution attribution) {
        this.head = new RequestHead(requests);
        this.bodyTimeout = requests.bodyTimeout();
        this.admission = admission;
        this.attribution = attribution;
        this.vertx = vertx;
        this.metering = metering;
        this.tenants = tenants;
        this.profiles = profiles;
        this.signer = signer;
        this.upstream = upstream;
        this.maxRequestBytes = config.upstream().maxRequestBody().asLongValue();
    }

    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String requestId = UUID.randomUUID().toString();
        long startNanos = System.nanoTime();
        RouteMatch route;
        try {
            route = OperationMatcher.match(request.method().name(), request.path());
        } catch (ProxyRefusal refusal) {
            request.resume();
            refuseUnknownOperation(request, refusal, requestId, startNanos);
            return;
        }
        Promise<Void> clientGone = Promise.promise();
        request.response().closeHandler(v -> clientGone.tryComplete());
        ProxyCall started = ProxyCall.started(requestId, startNanos, inbound(request, Buffer.buffer()), route);

        stage(started, call -> UniHelper.toUni(readBody(request)).map(body -> call.withBody(inbound(request, body))))
                .flatMap(call -> stage(call, this::identify))
                .flatMap(call -> stage(call, this::resolveModel))
                .flatMap(call -> stage(call, this::attribute))
                .flatMap(call -> stage(call, this::admit))
                .flatMap(call -> stage(call, c -> forward(c, clientGone)).map(response -> new Forwarded(call, response)))
                .subscribe().with(
                        forwarded -> relay(forwarded, request),
                        failure -> refuse(request, CallFailed.unwrap(failure, started), clientGone.future().isComplete()));
    }

    /** The body, once the head is acceptable; a body that does not arrive in time is refused. */
    private Future<Buffer> readBody(HttpServerRequest request) {
        Optional<ProxyRefusal> overLimit = head.check(request.headers());
        return overLimit.isPresent() ? RequestBody.refuse(request, overLimit.get())
                : RequestBody.read(vertx, request, maxRequestBytes, bodyTimeout);
    }

    /** A call and the answer Bedrock began to send for it. */
    private record Forwarded(ProxyCall call, HttpClientResponse response) {
    }

    /**
     * A stage failed: the call as far as it got, so that the one failure path meters it with what was known.
     * No stack trace: the cause has its own.
     */
    private static final class CallFailed extends RuntimeException {

        private final transient ProxyCall call;

        CallFailed(ProxyCall call, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.call = call;
        }

        static CallFailed unwrap(Throwable failure, ProxyCall started) {
            return failure instanceof CallFailed known ? known : new CallFailed(started, failure);
        }
    }

    /** Runs one stage on the call so far; its failure carries that call. */
    private static <T> Uni<T> stage(ProxyCall call, Function<ProxyCall, Uni<T>> stage) {
        return Uni.createFrom().deferred(() -> stage.apply(call))
                .onFailure(failure -> !(failure instanceof CallFailed)).transform(failure -> new CallFailed(call, failure));
    }

    private void relay(Forwarded forwarded, HttpServerRequest request) {
        forwarded.call().admitted().ifPresent(a -> a.headers().forEach(request.response()::putHeader));
        ResponseRelay.relay(forwarded.response(), request.response(), metering.observe(
                forwarded.call().metered(Usage.UNKNOWN_TENANT), forwarded.call().operation()));
    }

    /** Every operation of every tenant goes through here: no route around its limits and budget. */
    private Uni<ProxyCall> admit(ProxyCall call) {
        return admission.admit(call.identity().orElseThrow().tenant(), call.inbound().body(), call.pricedModelId())
                .map(call::admittedAs);
    }

    /**
     * Before admission: a request refused for its tier or metadata takes nothing of the tenant's limits. A large
     * Converse body is read off the event loop, as signing does.
     */
    private Uni<ProxyCall> attribute(ProxyCall call) {
        Supplier<ProxyCall> stamping = () -> call.stamped(
                attribution.stamp(call.identity().orElseThrow().tenant(), call.operation(), call.inbound()));
        if (call.inbound().body().length() <= SIGN_ON_EVENT_LOOP_MAX_BYTES) {
            return Uni.createFrom().item(stamping);
        }
        return UniHelper.toUni(vertx.executeBlocking(stamping::get, false));
    }

    private Uni<ProxyCall> identify(ProxyCall call) {
        return Uni.createFrom().item(call.identifiedAs(tenants.identify(call.inbound())));
    }

    /**
     * Answers a request that names no Bedrock Runtime operation (an unknown operation, a path that cannot be
     * read) once its ledger line is written; also the router's own 404 and 400, which never reach
     * {@link #handle}.
     */
    public void refuseUnknownOperation(HttpServerRequest request, ProxyRefusal refusal, String requestId, long startNanos) {
        LOG.infof("request_id=%s refused status=%d error_type=%s reason=unknown-operation", requestId,
                refusal.kind().status, refusal.kind().errorType);
        String path = request.path();
        String model = path == null ? Usage.NO_MODEL : OperationMatcher.modelIdIn(path).orElse(Usage.NO_MODEL);
        MeteredCall call = new MeteredCall(requestId, startNanos, tenantNamedBy(request.headers()), model, model,
                Optional.empty(), Usage.UNKNOWN_OPERATION, Reservation.NONE);
        metering.refused(call, refusal.kind().status, false)
                .onComplete(recorded -> BedrockErrorResponse.send(request.response(), refusal, requestId));
    }

    private Uni<ProxyCall> resolveModel(ProxyCall call) {
        if (call.operation().rewrite == BedrockOperation.Rewrite.NONE) {
            return Uni.createFrom().item(call);
        }
        String modelId = call.requestedModelId().orElseThrow(
                () -> ProxyRefusal.validation(call.operation().awsName + " request names no modelId"));
        return profiles.resolve(call.identity().orElseThrow().tenant(), call.operation(), modelId).map(call::targeting);
    }

    private Uni<HttpClientResponse> forward(ProxyCall call, Promise<Void> clientGone) {
        ForwardedRequest forwarded = ForwardedRequest.of(call, tenants::isTenantHeader);
        return signer.credentialsFor(call.identity().orElseThrow().tenant())
                .flatMap(credentials -> sign(forwarded, credentials)).flatMap(signed -> UniHelper.toUni(upstream.send(forwarded, signed, clientGone.future())));
    }

    /** SigV4 hashes the whole body: a large one is hashed on a worker so the event loop keeps serving. */
    private Uni<Map<String, List<String>>> sign(ForwardedRequest forwarded, AwsCredentialsIdentity credentials) {
        Callable<Map<String, List<String>>> signing = () -> signer.sign(credentials, forwarded.method(), upstream.endpoint(),
                forwarded.encodedPath(), forwarded.rawQuery(), forwarded.headers(), forwarded.body().getBytes());
        if (forwarded.body().length() <= SIGN_ON_EVENT_LOOP_MAX_BYTES) {
            return Uni.createFrom().item(Unchecked.supplier(signing::call));
        }
        return UniHelper.toUni(vertx.executeBlocking(signing, false));
    }

    private static InboundRequest inbound(HttpServerRequest request, Buffer body) {
        String authority = request.getHeader("Host");
        if (authority == null && request.authority() != null) {
            authority = request.authority().host()
                    + (request.authority().port() >= 0 ? ":" + request.authority().port() : "");
        }
        return new InboundRequest(request.method().name(), authority, request.path(), request.query(),
                request.headers(), body);
    }

    /** @param clientGone the application hung up before the proxy could answer */
    private void refuse(HttpServerRequest request, CallFailed failed, boolean clientGone) {
        ProxyCall call = failed.call;
        ProxyRefusal refusal;
        if (failed.getCause() instanceof ProxyRefusal known) {
            refusal = known;
        } else {
            LOG.errorf(failed.getCause(), "request_id=%s failed unexpectedly", call.requestId());
            refusal = ProxyRefusal.serviceUnavailable("the proxy failed to forward the request: " + failed.getCause());
        }
        LOG.infof("request_id=%s refused status=%d error_type=%s operation=%s", call.requestId(),
                refusal.kind().status, refusal.kind().errorType, call.operation().awsName);
        metering.refused(call.metered(tenantNamedBy(call.inbound().headers())), refusal.kind().status, clientGone)
                .onComplete(recorded -> BedrockErrorResponse.send(request.response(), refusal, call.requestId()));
    }

    /** Whom a request refused before it was identified is accounted to. */
    private String tenantNamedBy(MultiMap headers) {
        return tenants.namedByHeader(headers).map(Tenant::id).orElse(Usage.UNKNOWN_TENANT);
    }
}
