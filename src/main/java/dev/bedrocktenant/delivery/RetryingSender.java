package dev.bedrocktenant.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Sends what the proxy hands off its request path (CloudWatch batches, alert notifications) to one
 * destination, one item at a time and in order, from a bounded queue: a failed send is retried with
 * exponential backoff a bounded number of times, and an item given up on is handed back to its
 * {@link Channel} with the reason, to be counted — never lost silently. The next item waits for the one being
 * retried, so that a receiver sees items in order and a down endpoint is not hammered.
 *
 * <p>{@link #offer} takes any thread and never waits; everything else runs on {@code executor} (one thread),
 * where the sender's state is confined.
 */
public final class RetryingSender<T> {

    /** The {@code reason} a drop counter reads for an item given up on after {@link Settings#maxAttempts}. */
    public static final String RETRIES_EXHAUSTED = "retries_exhausted";
    /** ... for an item its channel says can never be taken. */
    public static final String NOT_RETRYABLE = "not_retryable";
    /** ... for an item still queued or being retried at shutdown. */
    public static final String SHUTDOWN = "shutdown";

    private static final Logger LOG = Logger.getLogger(RetryingSender.class);

    /** How one kind of item is sent, and what becomes of it. */
    public interface Channel<T> {

        CompletableFuture<?> send(T item);

        /** False when sending the same again cannot succeed (a 4xx other than throttling, say). */
        boolean retryable(Throwable cause);

        void sent(T item);

        /** @param cause null when the item was never sent (a full queue, shutdown) */
        void dropped(T item, String reason, Throwable cause);
    }

    /**
     * @param queueFullReason the {@code reason} an item dropped for room reads, as the caller's counter names it
     */
    public record Settings(int queueSize, int maxAttempts, Backoff backoff, String queueFullReason) {
        public Settings {
            if (queueSize < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("queue size and attempts must be at least 1");
            }
        }

        /** Every {@code reason} an item can be dropped for: a caller registers its counters for each up front. */
        public List<String> dropReasons() {
            return List.of(queueFullReason, RETRIES_EXHAUSTED, NOT_RETRYABLE, SHUTDOWN);
        }
    }

    private final Channel<T> channel;
    private final ScheduledExecutorService executor;
    private final Settings settings;
    private final BlockingQueue<T> queue;
    private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();

    /** On the wire or waiting for its retry. */
    private T current;
    private volatile boolean closed;

    public RetryingSender(Channel<T> channel, ScheduledExecutorService executor, Settings settings) {
        this.channel = channel;
        this.executor = executor;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    }

    /** Queues an item; when the queue is full the oldest waiting one is dropped, so the latest goes out. */
    public void offer(T item) {
        if (closed) {
            channel.dropped(item, SHUTDOWN, null);
            return;
        }
        while (!queue.offer(item)) {
            T oldest = queue.poll();
            if (oldest != null) {
                channel.dropped(oldest, settings.queueFullReason(), null);
            }
        }
        try {
            executor.execute(this::pump);
        } catch (RejectedExecutionException e) {
            if (queue.remove(item)) {
                channel.dropped(item, SHUTDOWN, null);
            }
        }
    }

    /** Completes when nothing is queued or on the wire. */
    public CompletableFuture<Void> whenIdle() {
        CompletableFuture<Void> idle = new CompletableFuture<>();
        executor.execute(() -> {
            idleWaiters.add(idle);
            pump();
        });
        return idle;
    }

    /** At shutdown: stops sending and hands what is left back as dropped ({@link #SHUTDOWN}). */
    public CompletableFuture<Void> close() {
        closed = true;
        return CompletableFuture.runAsync(() -> {
            if (current != null) {
                channel.dropped(current, SHUTDOWN, null);
                current = null;
            }
            T left;
            while ((left = queue.poll()) != null) {
                channel.dropped(left, SHUTDOWN, null);
            }
            idleWaiters.forEach(w -> w.complete(null));
            idleWaiters.clear();
        }, executor);
    }

    private void pump() {
        if (current != null || closed) {
            return;
        }
        T next = queue.poll();
        if (next == null) {
            idleWaiters.forEach(w -> w.complete(null));
            idleWaiters.clear();
            return;
        }
        send(next, 1);
    }

    private void send(T item, int attempt) {
        if (closed) {
            return;
        }
        current = item;
        CompletableFuture<?> sent;
        try {
            sent = channel.send(item);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            try {
                executor.execute(() -> completed(item, attempt, error));
            } catch (RejectedExecutionException shutDown) {
                // closed meanwhile: close() counted the item
            }
        });
    }

    private void completed(T item, int attempt, Throwable error) {
        if (closed) {
            return; // counted as dropped at shutdown
        }
        if (error == null) {
            channel.sent(item);
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!channel.retryable(cause)) {
                channel.dropped(item, NOT_RETRYABLE, cause);
            } else if (attempt >= settings.maxAttempts()) {
                channel.dropped(item, RETRIES_EXHAUSTED, cause);
            } else {
                Duration delay = settings.backoff().after(attempt);
                LOG.debugf("sending to %s, attempt %d failed (%s); retrying in %d ms", channel, (Object) attempt,
                        cause.getMessage(), delay.toMillis());
                executor.schedule(() -> send(item, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
                return; // still busy: the retry goes first
            }
        }
        current = null;
        pump();
    }
}
