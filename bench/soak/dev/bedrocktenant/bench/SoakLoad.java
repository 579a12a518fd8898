package dev.bedrocktenant.bench;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;

import java.io.InputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.RawHttp;
import dev.bedrocktenant.usage.Outcome;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * The soak's client: starts calls through the real AWS SDK for Java v2 at a steady rate for a while, mixing every
 * kind below, and writes what it saw of each (a {@link SeenCall} per line) for {@link SoakAudit}.
 *
 * <p>{@code SoakLoad <proxy url> <tenant> <calls per second> <seconds> <calls file> [KIND,…]}: with kinds, only
 * those, in turn (to look into one).
 */
public final class SoakLoad {

    /** What a call asks for, with its share of the mix in percent; the simulator directives do the rest. */
    enum Kind {
        CONVERSE(30, "Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:cache-read=30]]"),
        CONVERSE_STREAM(20, "Hello [[sim:events=5]] [[sim:pause-ms=10]]"),
        INVOKE_MODEL(15, "Hello [[sim:input-tokens=90]]"),
        INVOKE_MODEL_STREAM(10, "Hello [[sim:events=5]] [[sim:pause-ms=10]]"),
        BEDROCK_THROTTLES(5, "Hello [[sim:error=ThrottlingException]]"),
        BEDROCK_FAILS(3, "Hello [[sim:error=InternalServerException]]"),
        STREAM_EXCEPTION_EVENT(5, "Hello [[sim:events=5]] [[sim:stream-error=modelStreamErrorException@2]]"),
        BEDROCK_RESETS_MID_STREAM(5, "Hello [[sim:events=5]] [[sim:pause-ms=10]] [[sim:drop-after=2]]"),
        CLIENT_ABORTS_MID_STREAM(7, "Hello [[sim:events=40]] [[sim:pause-ms=250]]"); // 10 s: a slow client still hangs up mid-way

        final int percent;
        final String prompt;

        Kind(int percent, String prompt) {
            this.percent = percent;
            this.prompt = prompt;
        }

        static Kind of(long call) {
            int slot = (int) (call * 37 % 100); // 37 is prime to 100: every slot once per 100 calls, spread out
            for (Kind kind : values()) {
                if (slot < kind.percent) {
                    return kind;
                }
                slot -= kind.percent;
            }
            throw new IllegalStateException("the shares add up to less than 100");
        }
    }

    /** A call that returned no request id (a timeout, a refused connection): the soak fails on any. */
    private record LostCall(Kind kind, Throwable error) {
    }

    private static final int MAX_IN_FLIGHT = 1000;
    private static final Pattern REQUEST_ID = Pattern.compile("(?im)^x-amzn-RequestId:\\s*(\\S+)");

    private final URL proxy;
    private final String tenant;
    private final BedrockRuntimeAsyncClient bedrock;
    private final ExecutorService hangUps = Executors.newCachedThreadPool();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final ConcurrentLinkedQueue<SeenCall> seen = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LostCall> lost = new ConcurrentLinkedQueue<>();
    private final AtomicInteger notStarted = new AtomicInteger();

    private SoakLoad(URL proxy, String tenant) {
        this.proxy = proxy;
        this.tenant = tenant;
        this.bedrock = BedrockClients.async(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", tenant)),
                new BedrockClients.SentBody());
    }

    public static void main(String[] args) throws Exception {
        URL proxy = new URL(args[0]);
        double rate = Double.parseDouble(args[2]);
        long seconds = Long.parseLong(args[3]);
        List<Kind> only = args.length > 5 ? Arrays.stream(args[5].split(",")).map(Kind::valueOf).toList() : List.of();
        SoakLoad load = new SoakLoad(proxy, args[1]);
        long started = load.run(rate, seconds, only);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[4])))) {
            load.seen.forEach(call -> out.println(call.line()));
        }
        load.report(started);
        System.exit(load.lost.isEmpty() && load.notStarted.get() == 0 ? 0 : 1);
    }

    /**
     * Starts calls at {@code rate} per second for {@code seconds}, then waits for them to end; calls started. One
     * call of each kind goes first, one at a time: a cold client and proxy take seconds over their first calls
     * (class loading), and the calls the clock started meanwhile would wait their turn past the SDK's timeouts.
     */
    private long run(double rate, long seconds, List<Kind> only) throws Exception {
        for (Kind kind : Kind.values()) {
            start(kind).get(60, TimeUnit.SECONDS);
        }
        System.out.println("load started"); // (the script's clock starts now)
        System.out.flush();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger calls = new AtomicInteger();
        long periodNanos = (long) (1e9 / rate);
        // the SDK marshals and signs on the calling thread: the clock only hands each start over, so that a slow
        // start never holds up the next one's time
        ExecutorService starters = Executors.newFixedThreadPool(4);
        clock.scheduleAtFixedRate(() -> {
            int call = calls.getAndIncrement();
            starters.execute(() -> start(only.isEmpty() ? Kind.of(call) : only.get(call % only.size())));
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        Thread.sleep(seconds * 1000);
        clock.shutdownNow();
        clock.awaitTermination(5, TimeUnit.SECONDS);
        starters.shutdown();
        starters.awaitTermination(60, TimeUnit.SECONDS);
        if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 90, TimeUnit.SECONDS)) {
            System.err.println("calls still in flight 90 s after the load stopped: "
                    + (MAX_IN_FLIGHT - inFlight.availablePermits()));
        }
        bedrock.close();
        hangUps.shutdownNow();
        return calls.get() + Kind.values().length;
    }

    /** Starts one call; the future completes once it is accounted for (seen or lost). */
    private CompletableFuture<?> start(Kind kind) {
        if (!inFlight.tryAcquire()) {
            notStarted.incrementAndGet(); // the proxy fell behind: the rate was not kept
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<SeenCall> call = switch (kind) {
            case CONVERSE, BEDROCK_THROTTLES, BEDROCK_FAILS ->
                    bedrock.converse(BedrockCalls.converse(HAIKU, kind.prompt)).thenApply(r -> answered(kind, r));
            case INVOKE_MODEL -> bedrock.invokeModel(BedrockCalls.invokeModel(HAIKU, kind.prompt))
                    .thenApply(r -> answered(kind, r));
            case CONVERSE_STREAM -> converseStream(bedrock, kind);
            case STREAM_EXCEPTION_EVENT, BEDROCK_RESETS_MID_STREAM -> onSpareClient(client -> converseStream(client, kind));
            case INVOKE_MODEL_STREAM -> invokeModelStream(kind);
            case CLIENT_ABORTS_MID_STREAM -> CompletableFuture.supplyAsync(() -> hangUpMidStream(kind), hangUps);
        };
        return call.handle((result, error) -> {
            if (error == null) {
                seen.add(result);
            } else {
                refused(kind, error).ifPresentOrElse(seen::add, () -> lost.add(new LostCall(kind, error)));
            }
            inFlight.release();
            return null;
        });
    }

    private static SeenCall answered(Kind kind, AwsResponse response) {
        return new SeenCall(response.responseMetadata().requestId(), kind.name(), Outcome.SUCCESS, false, 200);
    }

    /** An error status Bedrock (or the proxy) answered before any of the response: its id is in the exception. */
    private static Optional<SeenCall> refused(Kind kind, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        if (cause instanceof AwsServiceException aws && aws.requestId() != null && aws.statusCode() >= 400) {
            return Optional.of(new SeenCall(aws.requestId(), kind.name(), Outcome.ofBedrockStatus(aws.statusCode()),
                    false, aws.statusCode()));
        }
        return Optional.empty();
    }

    /**
     * A stream whose headers came (200, with its request id) and that then ended with an exception event: partial,
     * throttled for a throttling event, else a server error (docs/reference.md §7, "Streams").
     */
    private static SeenCall streamed(Kind kind, String requestId, Throwable error) {
        if (error == null) {
            return new SeenCall(requestId, kind.name(), Outcome.SUCCESS, false, 200);
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        Outcome outcome = cause instanceof ThrottlingException ? Outcome.THROTTLED : Outcome.SERVER_ERROR;
        return new SeenCall(requestId, kind.name(), outcome, true, 200);
    }

    /**
     * A call that ends with an exception event, on a client that takes at most {@link #CALLS_PER_CLIENT} of them and
     * is then closed once they have ended. Seen here: 20 such calls a second through one client, and most of that
     * client's later calls failed acquiring a connection from its pool within seconds, though the proxy had no
     * connection or stream left over (bench/README.md, "The SDK's pool and exception events").
     */
    private CompletableFuture<SeenCall> onSpareClient(java.util.function.Function<BedrockRuntimeAsyncClient,
            CompletableFuture<SeenCall>> call) {
        SpareClient spare = leaseSpare();
        return call.apply(spare.client).whenComplete((result, error) -> returnSpare(spare));
    }

    private static final int CALLS_PER_CLIENT = 40;

    private static final class SpareClient {
        final BedrockRuntimeAsyncClient client;
        int calls;
        int open;

        SpareClient(BedrockRuntimeAsyncClient client) {
            this.client = client;
        }
    }

    private SpareClient spare;

    private synchronized SpareClient leaseSpare() {
        if (spare == null || spare.calls == CALLS_PER_CLIENT) {
            SpareClient retired = spare;
            spare = new SpareClient(BedrockClients.async(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", tenant)),
                    new BedrockClients.SentBody()));
            closeIfDone(retired);
        }
        spare.calls++;
        spare.open++;
        return spare;
    }

    private synchronized void returnSpare(SpareClient lease) {
        lease.open--;
        closeIfDone(lease);
    }

    private void closeIfDone(SpareClient lease) {
        if (lease != null && lease != spare && lease.open == 0) {
            hangUps.execute(lease.client::close); // (not on the SDK's own threads)
        }
    }

    private CompletableFuture<SeenCall> converseStream(BedrockRuntimeAsyncClient bedrock, Kind kind) {
        AtomicReference<String> requestId = new AtomicReference<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .onResponse(r -> requestId.set(r.responseMetadata().requestId()))
                .subscriber(ConverseStreamResponseHandler.Visitor.builder().build())
                .build();
        return afterHeaders(kind, requestId, bedrock.converseStream(BedrockCalls.converseStream(HAIKU, kind.prompt), handler));
    }

    private CompletableFuture<SeenCall> invokeModelStream(Kind kind) {
        AtomicReference<String> requestId = new AtomicReference<>();
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .onResponse(r -> requestId.set(r.responseMetadata().requestId()))
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder().build())
                .build();
        return afterHeaders(kind, requestId,
                bedrock.invokeModelWithResponseStream(BedrockCalls.invokeModelStream(HAIKU, kind.prompt), handler));
    }

    private static CompletableFuture<SeenCall> afterHeaders(Kind kind, AtomicReference<String> requestId,
                                                           CompletableFuture<Void> stream) {
        return stream.handle((done, error) -> {
            if (requestId.get() == null) { // no headers: refused before the stream began, or lost
                if (error == null) {
                    throw new IllegalStateException("a stream ended without its response");
                }
                return refused(kind, error).orElseThrow(() -> new java.util.concurrent.CompletionException(error));
            }
            return streamed(kind, requestId.get(), error);
        });
    }

    /**
     * An application that goes away mid-stream: reads the response head and the first event, then closes the
     * connection. On a bare socket, since the SDK offers no way to drop its connection on purpose; the ledger must
     * hold the call as partial, with Bedrock's status.
     */
    private SeenCall hangUpMidStream(Kind kind) {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"" + kind.prompt + "\"}]}]}";
        try (Socket socket = RawHttp.open(proxy, "POST", "/model/" + HAIKU.replace(":", "%3A") + "/converse-stream",
                Map.of("X-Tenant-Id", tenant, "Content-Type", "application/json"), body)) {
            InputStream in = socket.getInputStream();
            String head = RawHttp.readHead(in);
            Matcher id = REQUEST_ID.matcher(head);
            if (!head.startsWith("HTTP/1.1 200") || !id.find() || in.read(new byte[64]) <= 0) {
                throw new IllegalStateException("no stream to hang up on: " + head.lines().findFirst().orElse(""));
            }
            socket.setSoLinger(true, 0); // a reset, as a killed application leaves it
            return new SeenCall(id.group(1), kind.name(), Outcome.SUCCESS, true, 200);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void report(long started) {
        Map<Kind, Integer> byKind = new EnumMap<>(Kind.class);
        seen.forEach(call -> byKind.merge(Kind.valueOf(call.kind()), 1, Integer::sum));
        System.out.printf("calls started %d, seen with a request id %d, lost %d, not started (over %d in flight) %d%n",
                started, seen.size(), lost.size(), MAX_IN_FLIGHT, notStarted.get());
        byKind.forEach((kind, n) -> System.out.printf("  %-26s %d%n", kind, n));
        lost.stream().limit(10).forEach(call -> System.out.printf("  lost %s: %s%n", call.kind(), call.error()));
    }
}
