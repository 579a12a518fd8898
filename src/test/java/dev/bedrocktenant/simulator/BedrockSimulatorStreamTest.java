package dev.bedrocktenant.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.simulator.RecordedRequest.Outcome;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/** ConverseStream and InvokeModelWithResponseStream through the real async SDK client (Netty). */
class BedrockSimulatorStreamTest {

    static final String HAIKU = BedrockSimulatorSyncTest.HAIKU;

    static RunningSimulator sim;
    static BedrockRuntimeAsyncClient client;

    @BeforeAll
    static void start() throws Exception {
        sim = new RunningSimulator();
        client = sim.asyncClient();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        sim.close();
    }

    @BeforeEach
    void clear() {
        sim.journal.clear();
    }

    /** Runs a ConverseStream, collecting "type:detail" for every event the SDK decoded. */
    static List<String> converseStream(String prompt, List<ConverseStreamMetadataEvent> metadata) {
        List<String> events = new CopyOnWriteArrayList<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onMessageStart(e -> events.add("messageStart:" + e.roleAsString()))
                        .onContentBlockDelta(e -> events.add("delta:" + e.contentBlockIndex() + ":" + e.delta().text()))
                        .onContentBlockStop(e -> events.add("contentBlockStop:" + e.contentBlockIndex()))
                        .onMessageStop(e -> events.add("messageStop:" + e.stopReasonAsString()))
                        .onMetadata(e -> {
                            events.add("metadata");
                            metadata.add(e);
                        })
                        .build())
                .build();
        client.converseStream(r -> r.modelId(HAIKU).messages(BedrockSimulatorSyncTest.user(prompt)), handler).join();
        return events;
    }

    @Test
    void converseStreamEventsArriveInOrderWithUsage() throws Exception {
        List<ConverseStreamMetadataEvent> metadata = new CopyOnWriteArrayList<>();
        List<String> events = converseStream("[[sim:events=4]][[sim:input-tokens=50]][[sim:output-tokens=9]]"
                + "[[sim:cache-read=20]][[sim:cache-write=4]]", metadata);
        assertEquals(List.of("messageStart:assistant", "delta:0:Hello", "delta:0: from", "delta:0: the",
                "delta:0: Bedrock", "contentBlockStop:0", "messageStop:end_turn", "metadata"), events);
        var usage = metadata.get(0).usage();
        assertEquals(50, usage.inputTokens());
        assertEquals(9, usage.outputTokens());
        assertEquals(20, usage.cacheReadInputTokens());
        assertEquals(4, usage.cacheWriteInputTokens());
        assertEquals(83, usage.totalTokens());
        assertNotNull(metadata.get(0).metrics().latencyMs());

        RecordedRequest recorded = sim.journal.last().orElseThrow();
        assertEquals("ConverseStream", recorded.operation());
        assertEquals(HAIKU, recorded.modelId());
        assertEquals(Outcome.COMPLETED, recorded.outcome().get(5, TimeUnit.SECONDS));
    }

    @Test
    void streamErrorBecomesTheTypedSdkException() {
        List<String> events = new CopyOnWriteArrayList<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(e -> events.add(e.delta().text()))
                        .build())
                .build();
        CompletionException e = assertThrows(CompletionException.class, () -> client.converseStream(r -> r.modelId(HAIKU)
                .messages(BedrockSimulatorSyncTest.user("[[sim:stream-error=modelStreamErrorException@2]]")), handler).join());
        assertInstanceOf(ModelStreamErrorException.class, e.getCause());
        assertEquals(List.of("Hello", " from"), events);

        CompletionException throttled = assertThrows(CompletionException.class, () -> client.converseStream(r -> r
                .modelId(HAIKU).messages(BedrockSimulatorSyncTest.user("[[sim:stream-error=throttlingException@0]]")),
                ConverseStreamResponseHandler.builder().subscriber(ConverseStreamResponseHandler.Visitor.builder().build())
                        .build()).join());
        assertInstanceOf(ThrottlingException.class, throttled.getCause());
    }

    @Test
    void invokeModelWithResponseStreamCarriesAnthropicChunksAndInvocationMetrics() throws Exception {
        List<JsonObject> chunks = new CopyOnWriteArrayList<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .onResponse(r -> contentTypes.add(r.contentType()))
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                        .onChunk(c -> chunks.add(new JsonObject(c.bytes().asUtf8String())))
                        .build())
                .build();
        client.invokeModelWithResponseStream(r -> r.modelId(HAIKU).contentType("application/json")
                .body(SdkBytes.fromUtf8String("{\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"[[sim:events=2]][[sim:input-tokens=40]][[sim:output-tokens=12]][[sim:cache-write=8]]\"}]}")),
                handler).join();
        assertEquals(List.of("application/json"), contentTypes);
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop"), chunks.stream().map(c -> c.getString("type")).toList());
        assertEquals("Hello", chunks.get(2).getJsonObject("delta").getString("text"));
        JsonObject metrics = chunks.get(chunks.size() - 1).getJsonObject("amazon-bedrock-invocationMetrics");
        assertEquals(40, metrics.getInteger("inputTokenCount"));
        assertEquals(12, metrics.getInteger("outputTokenCount"));
        assertEquals(8, metrics.getInteger("cacheWriteInputTokenCount"));
        assertTrue(!metrics.containsKey("cacheReadInputTokenCount"));
        assertNotNull(metrics.getLong("invocationLatency"));
        assertNotNull(metrics.getLong("firstByteLatency"));
        assertEquals("InvokeModelWithResponseStream", sim.journal.last().orElseThrow().operation());
        assertEquals(Outcome.COMPLETED, sim.journal.last().orElseThrow().outcome().get(5, TimeUnit.SECONDS));
    }

    @Test
    void invokeStreamErrorBecomesTheTypedSdkException() {
        CompletionException e = assertThrows(CompletionException.class, () -> client.invokeModelWithResponseStream(r -> r
                .modelId(HAIKU).body(SdkBytes.fromUtf8String("{\"p\":\"[[sim:stream-error=modelStreamErrorException@1]]\"}")),
                InvokeModelWithResponseStreamResponseHandler.builder()
                        .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder().build()).build()).join());
        assertInstanceOf(ModelStreamErrorException.class, e.getCause());
    }

    @Test
    void pauseSpacesTheEventsOut() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        client.invokeModelWithResponseStream(r -> r.modelId(HAIKU)
                        .body(SdkBytes.fromUtf8String("{\"p\":\"[[sim:events=5]][[sim:pause-ms=300]]\"}")),
                InvokeModelWithResponseStreamResponseHandler.builder()
                        .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                                .onChunk(c -> arrivals.add(System.nanoTime())).build())
                        .build()).join();
        assertEquals(10, arrivals.size());
        long gapMs = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000;
        assertTrue(gapMs > 800, "first to last event took only " + gapMs + " ms");
    }

    @Test
    void aClientThatCancelsIsRecordedAsGone() throws Exception {
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .onEventStream(publisher -> publisher.subscribe(new Subscriber<ConverseStreamOutput>() {
                    private Subscription subscription;

                    @Override
                    public void onSubscribe(Subscription s) {
                        subscription = s;
                        s.request(1);
                    }

                    @Override
                    public void onNext(ConverseStreamOutput event) {
                        subscription.cancel();
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onComplete() {
                    }
                }))
                .build();
        var call = client.converseStream(r -> r.modelId(HAIKU)
                .messages(BedrockSimulatorSyncTest.user("[[sim:events=50]][[sim:pause-ms=100]]")), handler);
        RecordedRequest recorded = sim.journal.requests().isEmpty() ? awaitRequest() : sim.journal.last().orElseThrow();
        assertEquals(Outcome.CLIENT_GONE, recorded.outcome().get(10, TimeUnit.SECONDS));
        call.cancel(true);
    }

    private static RecordedRequest awaitRequest() throws InterruptedException {
        for (int i = 0; i < 100 && sim.journal.requests().isEmpty(); i++) {
            Thread.sleep(50);
        }
        return sim.journal.last().orElseThrow();
    }

    @Test
    void dropAfterCutsTheConnectionMidFrame() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(e -> events.add(e.delta().text()))
                        .onMessageStop(e -> events.add("messageStop"))
                        .build())
                .build();
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.converseStream(r -> r.modelId(HAIKU)
                .messages(BedrockSimulatorSyncTest.user("[[sim:events=4]][[sim:drop-after=2]]")), handler)
                .get(10, TimeUnit.SECONDS));
        assertNotNull(e.getCause());
        assertEquals(List.of("Hello", " from"), events);
        assertEquals(Outcome.DROPPED, sim.journal.last().orElseThrow().outcome().get(5, TimeUnit.SECONDS));
    }
}
