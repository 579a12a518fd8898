package dev.bedrocktenant.budget.notify;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bedrocktenant.testing.QueryForm;
import io.vertx.core.http.HttpServerRequest;

/**
 * An SNS endpoint for tests, speaking what the AWS SDK for Java v2 speaks to it: the awsQuery protocol, a
 * form-encoded {@code POST /} ({@code Action=Publish&Version=2010-03-31&TopicArn=…}) answered in XML. Records
 * every Publish it accepted, and answers errors on demand as SNS does.
 */
public final class FakeSns implements AutoCloseable {

    private static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

    /** One accepted Publish; {@code attributes} are the string message attributes by name. */
    public record Publish(String topicArn, String subject, String message, Map<String, String> attributes,
                          String contentType, String authorization) {
    }

    /** An error SNS answers with: its HTTP status, code and fault type. */
    public record Error(int status, String code, String type) {
        public static final Error INTERNAL = new Error(500, "InternalError", "Receiver");
        public static final Error AUTHORIZATION = new Error(403, "AuthorizationError", "Sender");
    }

    private final List<Publish> publishes = new CopyOnWriteArrayList<>();
    private final Deque<Error> nextErrors = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final LocalHttpServer server;

    /** On a free port. */
    public FakeSns() {
        this(0);
    }

    public FakeSns(int port) {
        server = new LocalHttpServer(port, this::handle);
    }

    public URI endpoint() {
        return URI.create(server.origin());
    }

    /** The next requests are answered with these errors, then accepted again. */
    public synchronized void failNext(Error... errors) {
        nextErrors.addAll(List.of(errors));
    }

    public List<Publish> publishes() {
        return List.copyOf(publishes);
    }

    /** Every HTTP request that arrived, failed ones included. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            requests.incrementAndGet();
            Error error;
            synchronized (this) {
                error = nextErrors.pollFirst();
            }
            Map<String, String> form = QueryForm.parse(body.toString());
            if (error != null) {
                error(request, error, "fake SNS told to fail");
            } else if (!request.method().name().equals("POST") || !"Publish".equals(form.get("Action"))
                    || !"2010-03-31".equals(form.get("Version"))) {
                error(request, new Error(400, "InvalidAction", "Sender"), "fake SNS does only Publish, version 2010-03-31");
            } else if (form.get("TopicArn") == null || form.get("Message") == null) {
                error(request, new Error(400, "InvalidParameter", "Sender"), "TopicArn and Message are required");
            } else {
                publishes.add(new Publish(form.get("TopicArn"), form.get("Subject"), form.get("Message"), attributes(form),
                        request.getHeader("Content-Type"), request.getHeader("Authorization")));
                request.response().setStatusCode(200).putHeader("Content-Type", "text/xml")
                        .end("<PublishResponse xmlns=\"" + NAMESPACE + "\"><PublishResult><MessageId>" + UUID.randomUUID()
                                + "</MessageId></PublishResult><ResponseMetadata><RequestId>" + UUID.randomUUID()
                                + "</RequestId></ResponseMetadata></PublishResponse>");
            }
        });
    }

    /** {@code MessageAttributes.entry.N.Name} with {@code MessageAttributes.entry.N.Value.StringValue}. */
    private static Map<String, String> attributes(Map<String, String> form) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int n = 1; form.containsKey("MessageAttributes.entry." + n + ".Name"); n++) {
            String entry = "MessageAttributes.entry." + n;
            if ("String".equals(form.get(entry + ".Value.DataType"))) {
                attributes.put(form.get(entry + ".Name"), form.get(entry + ".Value.StringValue"));
            }
        }
        return attributes;
    }

    private static void error(HttpServerRequest request, Error error, String message) {
        request.response().setStatusCode(error.status()).putHeader("Content-Type", "text/xml")
                .end("<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>" + error.type() + "</Type><Code>"
                        + error.code() + "</Code><Message>" + message + "</Message></Error><RequestId>"
                        + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }
}
