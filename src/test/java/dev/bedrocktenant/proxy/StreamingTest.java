package dev.bedrocktenant.proxy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.simulator.RecordedRequest;
import dev.bedrocktenant.simulator.SimulatorJournal;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.RawHttp;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;

/** Event streams pass through as they happen, and end cleanly whichever side breaks off. */
@QuarkusTest
@QuarkusTestResource(TestTenantsFile.class)
class StreamingTest {

    private static final Caller ACME = Caller.withHeaders(Map.of("X-Tenant-Id", "acme"));

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorJournal journal;

    @Test
    void eventsReachTheApplicationAsBedrockSendsThem() throws Exception {
        BedrockCalls.ConverseStreamResult result;
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, ACME, new BedrockClients.SentBody())) {
            result = BedrockCalls.converseStream(bedrock,
                    BedrockCalls.converseStream(HAIKU, "Hi [[sim:events=5]] [[sim:pause-ms=400]]"));
        }
        assertEquals(5, result.texts.size());
        // The simulator waits 400 ms between events: a proxy that buffered would deliver all at once.
        long spreadMillis = (result.arrivalNanos.get(4) - result.arrivalNanos.get(0)) / 1_000_000;
        assertTrue(spreadMillis >= 1000, "first and last event arrived " + spreadMillis + " ms apart");
    }

    @Test
    void aClientThatHangsUpCancelsTheUpstreamRequest() throws Exception {
        journal.clear();
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"[[sim:events=100]] [[sim:pause-ms=100]]\"}]}]}";
        try (Socket socket = RawHttp.open(proxy, "POST", "/model/" + HAIKU.replace(":", "%3A") + "/converse-stream",
                Map.of("X-Tenant-Id", "acme", "Content-Type", "application/json"), body)) {
            InputStream in = socket.getInputStream();
            assertTrue(RawHttp.readHead(in).startsWith("HTTP/1.1 200"));
            assertTrue(in.read(new byte[64]) > 0, "the first event arrived");
        }
        RecordedRequest upstream = journal.last().orElseThrow();
        // 100 events × 100 ms would take 10 s; the upstream side must see the hang-up long before.
        assertEquals(RecordedRequest.Outcome.CLIENT_GONE, upstream.outcome().get(5, TimeUnit.SECONDS));
    }

    @Test
    void anExceptionEventFromBedrockReachesTheApplicationAsItsTypedException() throws Exception {
        List<String> texts = new ArrayList<>();
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, ACME, new BedrockClients.SentBody())) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> BedrockCalls.converseStream(bedrock,
                    BedrockCalls.converseStream(HAIKU, "Hi [[sim:events=5]] [[sim:stream-error=modelStreamErrorException@2]]")));
            assertInstanceOf(ModelStreamErrorException.class, failure.getCause());
        }
    }

    @Test
    void bedrockDroppingTheConnectionMidFrameEndsTheStreamWithAServiceUnavailableEvent() throws Exception {
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, ACME, new BedrockClients.SentBody())) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> BedrockCalls.converseStream(bedrock,
                    BedrockCalls.converseStream(HAIKU, "Hi [[sim:events=5]] [[sim:drop-after=2]]")));
            assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("broke off"), failure.getCause().getMessage());
        }
    }

    @Test
    void bytesFromBedrockThatAreNoFrameEndTheStreamWithAServiceUnavailableEventAndDropBedrocksConnection()
            throws Exception {
        journal.clear();
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, ACME, new BedrockClients.SentBody())) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> BedrockCalls.converseStream(bedrock,
                    BedrockCalls.converseStream(HAIKU, "Hi [[sim:events=50]] [[sim:pause-ms=100]] [[sim:garbage-after=2]]")));
            assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("declares"), failure.getCause().getMessage());
        }
        // the proxy stopped reading at once: 48 more events 100 ms apart would take 5 s
        assertEquals(RecordedRequest.Outcome.CLIENT_GONE, journal.last().orElseThrow().outcome().get(3, TimeUnit.SECONDS));
    }

    @Test
    void invokeModelWithResponseStreamSurfacesBedrocksExceptionEvents() throws Exception {
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, ACME, new BedrockClients.SentBody())) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> BedrockCalls.invokeModelStream(bedrock,
                    BedrockCalls.invokeModelStream(HAIKU, "Hi [[sim:stream-error=modelStreamErrorException@1]]")));
            assertInstanceOf(ModelStreamErrorException.class, failure.getCause());
        }
    }
}
