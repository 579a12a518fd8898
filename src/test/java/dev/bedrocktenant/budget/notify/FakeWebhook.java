package dev.bedrocktenant.budget.notify;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.http.HttpServerRequest;

/**
 * A webhook receiver for tests: records every POST and answers 200, or what it is told to answer next, or
 * nothing at all.
 */
public final class FakeWebhook implements AutoCloseable {

    /** Answer given to a POST that is never answered. */
    public static final int NO_ANSWER = 0;

    /** One POST as received, with the status it was answered with. */
    public record Post(String path, String contentType, String body, int status) {
    }

    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final Deque<Integer> nextAnswers = new ArrayDeque<>();
    private final LocalHttpServer server;

    /** On a free port. */
    public FakeWebhook() {
        this(0);
    }

    public FakeWebhook(int port) {
        server = new LocalHttpServer(port, this::handle);
    }

    public URI url(String path) {
        return URI.create(server.origin() + path);
    }

    /** The next POSTs are answered with these statuses ({@link #NO_ANSWER}: left hanging), then 200 again. */
    public synchronized void answerNext(int... statuses) {
        for (int status : statuses) {
            nextAnswers.addLast(status);
        }
    }

    /** Every POST received, answered or not. */
    public List<Post> posts() {
        return List.copyOf(posts);
    }

    /** The POSTs answered 2xx. */
    public List<Post> delivered() {
        return posts.stream().filter(p -> p.status() / 100 == 2).toList();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            int status;
            synchronized (this) {
                status = nextAnswers.isEmpty() ? 200 : nextAnswers.pollFirst();
            }
            posts.add(new Post(request.path(), request.getHeader("Content-Type"), body.toString(), status));
            if (status != NO_ANSWER) {
                request.response().setStatusCode(status).end();
            }
        });
    }
}
