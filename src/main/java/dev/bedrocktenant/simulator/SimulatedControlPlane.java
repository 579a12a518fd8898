package dev.bedrocktenant.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bedrocktenant.signing.SignatureVerifier;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The Bedrock control plane's inference-profile and tagging operations (restJson1, SigV4 checked as
 * for the runtime), on the simulator's port. Test hooks: throttle the next N calls, fail every call
 * (an outage), answer every call late, a smaller page size; every call is journalled by operation name.
 */
public final class SimulatedControlPlane {

    private static final String PROFILES = "/inference-profiles";
    /** ListInferenceProfiles maxResults upper bound (service model). */
    private static final int MAX_RESULTS = 1000;

    private final SignatureCheck signatureCheck;
    private final InferenceProfileStore store = new InferenceProfileStore("us-east-1");
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicBoolean outage = new AtomicBoolean();
    private volatile int pageSize = MAX_RESULTS;
    private volatile long delayMillis;

    SimulatedControlPlane(AcceptedKeys keys) {
        this.signatureCheck = new SignatureCheck(keys, new SignatureVerifier());
    }

    public InferenceProfileStore profiles() {
        return store;
    }

    /** The next {@code n} calls are answered with ThrottlingException (429). */
    public void throttleNext(int n) {
        throttleNext.set(n);
    }

    /** While on, every call is answered with ServiceUnavailableException (503). */
    public void outage(boolean on) {
        outage.set(on);
    }

    /** Every call is answered this much later: a control plane that is slow, not down. */
    public void delay(Duration delay) {
        delayMillis = delay.toMillis();
    }

    /** Pages hold at most this many profiles, whatever maxResults asks. */
    public void pageSize(int size) {
        pageSize = size;
    }

    /** Operation names of the calls received, oldest first. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public long count(String operation) {
        return calls().stream().filter(operation::equals).count();
    }

    public void clearCalls() {
        calls.clear();
    }

    /** Serves control-plane paths; hands every other request to the next handler (the runtime). */
    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Optional<String> operation = operationOf(request.method(), request.path());
        if (operation.isEmpty()) {
            ctx.next();
            return;
        }
        calls.add(operation.get());
        if (delayMillis > 0) {
            ctx.vertx().setTimer(delayMillis, id -> answer(ctx, operation.get()));
        } else {
            answer(ctx, operation.get());
        }
    }

    private void answer(RoutingContext ctx, String operation) {
        HttpServerRequest request = ctx.request();
        ctx.response().putHeader("x-amzn-RequestId", UUID.randomUUID().toString());
        Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        Optional<SignatureCheck.Rejection> rejection = signatureCheck.check(request, body);
        if (rejection.isPresent()) {
            RestJsonErrors.write(ctx.response(), rejection.get().errorType(), rejection.get().message());
        } else if (outage.get()) {
            RestJsonErrors.write(ctx.response(), "ServiceUnavailableException", "Service is unavailable (simulated outage).");
        } else if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            RestJsonErrors.write(ctx.response(), "ThrottlingException", "Rate exceeded");
        } else {
            try {
                respond(ctx, operation, body.length() == 0 ? new JsonObject() : body.toJsonObject());
            } catch (DecodeException | ClassCastException e) {
                RestJsonErrors.write(ctx.response(), "ValidationException", "The request body is not valid JSON.");
            }
        }
    }

    private static Optional<String> operationOf(HttpMethod method, String path) {
        if (path.equals(PROFILES)) {
            return method == HttpMethod.GET ? Optional.of("ListInferenceProfiles")
                    : method == HttpMethod.POST ? Optional.of("CreateInferenceProfile") : Optional.empty();
        }
        if (path.startsWith(PROFILES + "/")) {
            return method == HttpMethod.GET ? Optional.of("GetInferenceProfile")
                    : method == HttpMethod.DELETE ? Optional.of("DeleteInferenceProfile") : Optional.empty();
        }
        if (method != HttpMethod.POST) {
            return Optional.empty();
        }
        return switch (path) {
            case "/listTagsForResource" -> Optional.of("ListTagsForResource");
            case "/tagResource" -> Optional.of("TagResource");
            case "/untagResource" -> Optional.of("UntagResource");
            default -> Optional.empty();
        };
    }

    private void respond(RoutingContext ctx, String operation, JsonObject body) {
        String identifier = URLDecoder.decode(ctx.request().path().substring(ctx.request().path().lastIndexOf('/') + 1)
                .replace("+", "%2B"), StandardCharsets.UTF_8);
        switch (operation) {
            case "ListInferenceProfiles" -> list(ctx);
            case "CreateInferenceProfile" -> create(ctx, body);
            case "GetInferenceProfile" -> store.get(identifier).ifPresentOrElse(p -> ok(ctx, 200, summary(p)),
                    () -> notFound(ctx, identifier));
            case "DeleteInferenceProfile" -> {
                if (store.delete(identifier)) {
                    ok(ctx, 200, new JsonObject());
                } else {
                    notFound(ctx, identifier);
                }
            }
            case "ListTagsForResource" -> store.tags(body.getString("resourceARN", "")).ifPresentOrElse(
                    tags -> ok(ctx, 200, new JsonObject().put("tags", tagList(tags))),
                    () -> notFound(ctx, body.getString("resourceARN")));
            case "TagResource" -> answer(ctx, store.tag(body.getString("resourceARN", ""), tagMap(body)), body);
            case "UntagResource" -> answer(ctx, store.untag(body.getString("resourceARN", ""),
                    body.getJsonArray("tagKeys", new JsonArray()).stream().map(String::valueOf).toList()), body);
            default -> throw new IllegalStateException(operation);
        }
    }

    private void list(RoutingContext ctx) {
        String type = ctx.request().getParam("type");
        List<InferenceProfileStore.Profile> all = "SYSTEM_DEFINED".equals(type) ? List.of() : store.applicationProfiles();
        int max = Math.min(pageSize, parseInt(ctx.request().getParam("maxResults"), MAX_RESULTS));
        int from = parseInt(ctx.request().getParam("nextToken"), 0);
        JsonArray page = new JsonArray();
        all.stream().skip(from).limit(max).forEach(p -> page.add(summary(p)));
        JsonObject response = new JsonObject().put("inferenceProfileSummaries", page);
        if (from + max < all.size()) {
            response.put("nextToken", String.valueOf(from + max));
        }
        ok(ctx, 200, response);
    }

    private void create(RoutingContext ctx, JsonObject body) {
        JsonObject source = body.getJsonObject("modelSource", new JsonObject());
        try {
            InferenceProfileStore.Profile created = store.create(body.getString("inferenceProfileName"),
                    source.getString("copyFrom"), tagMap(body), Optional.ofNullable(body.getString("clientRequestToken")));
            ok(ctx, 201, new JsonObject().put("inferenceProfileArn", created.arn()).put("status", "ACTIVE"));
        } catch (IllegalArgumentException e) {
            RestJsonErrors.write(ctx.response(), "ValidationException", e.getMessage());
        } catch (IllegalStateException e) {
            RestJsonErrors.write(ctx.response(), "ConflictException", e.getMessage());
        }
    }

    private void answer(RoutingContext ctx, boolean found, JsonObject body) {
        if (found) {
            ok(ctx, 200, new JsonObject());
        } else {
            notFound(ctx, body.getString("resourceARN"));
        }
    }

    private static JsonObject summary(InferenceProfileStore.Profile p) {
        JsonArray models = new JsonArray();
        p.models().forEach(m -> models.add(new JsonObject().put("modelArn", m)));
        return new JsonObject()
                .put("inferenceProfileName", p.name())
                .put("inferenceProfileArn", p.arn())
                .put("inferenceProfileId", p.id())
                .put("createdAt", p.createdAt().toString())
                .put("updatedAt", p.createdAt().toString())
                .put("models", models)
                .put("status", "ACTIVE")
                .put("type", p.type());
    }

    private static Map<String, String> tagMap(JsonObject body) {
        Map<String, String> tags = new LinkedHashMap<>();
        body.getJsonArray("tags", new JsonArray()).forEach(t -> {
            JsonObject tag = (JsonObject) t;
            tags.put(tag.getString("key"), tag.getString("value"));
        });
        return tags;
    }

    private static JsonArray tagList(Map<String, String> tags) {
        JsonArray list = new JsonArray();
        tags.forEach((k, v) -> list.add(new JsonObject().put("key", k).put("value", v)));
        return list;
    }

    private static void ok(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
    }

    private static void notFound(RoutingContext ctx, String what) {
        RestJsonErrors.write(ctx.response(), "ResourceNotFoundException", "The resource " + what + " was not found.");
    }

    private static int parseInt(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
