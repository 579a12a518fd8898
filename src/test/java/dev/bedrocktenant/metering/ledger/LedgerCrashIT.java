package dev.bedrocktenant.metering.ledger;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.BedrockClients;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * kill -9 of the proxy under load: after a restart on the same ledger, every request whose response the
 * application saw complete is in the usage ledger exactly once. Runs the packaged
 * jar as a separate process (mvn verify builds it before integration tests).
 */
class LedgerCrashIT {

    private static final int PROXY_PORT = 18950;
    private static final int SIMULATOR_PORT = 18951;
    private static final int CLIENTS = 8;

    @Test
    void everyCompletedRequestSurvivesAKillMinusNineExactlyOnce() throws Exception {
        Path ledger = Files.createTempDirectory("crash-ledger-");
        Set<String> completed = ConcurrentHashMap.newKeySet();

        Process proxy = start(ledger);
        ExecutorService load = Executors.newFixedThreadPool(CLIENTS);
        URL url = new URL("http://127.0.0.1:" + PROXY_PORT + "/");
        for (int i = 0; i < CLIENTS; i++) {
            load.submit(() -> {
                try (BedrockRuntimeClient bedrock = BedrockClients.sync(url,
                        Caller.withHeaders(Map.of("X-Tenant-Id", "acme")), new BedrockClients.SentBody())) {
                    while (!Thread.currentThread().isInterrupted()) {
                        completed.add(bedrock.converse(BedrockCalls.converse(HAIKU, "[[sim:output-tokens=3]]"))
                                .responseMetadata().requestId());
                    }
                } catch (RuntimeException expected) {
                    // the proxy died under us
                }
            });
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (completed.size() < 500 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        proxy.destroyForcibly();                       // SIGKILL: no shutdown hook, no final flush
        proxy.waitFor(10, TimeUnit.SECONDS);
        load.shutdownNow();
        assertTrue(load.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(completed.size() >= 100, "load ran: " + completed.size() + " requests completed");

        // The restarted proxy cuts a torn tail, moves what the crash journal held, and appends after it.
        Process restarted = start(ledger);
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(url, Caller.withHeaders(Map.of("X-Tenant-Id", "acme")),
                new BedrockClients.SentBody())) {
            completed.add(bedrock.converse(BedrockCalls.converse(HAIKU, "Hi")).responseMetadata().requestId());
        } finally {
            restarted.destroy();
            restarted.waitFor(20, TimeUnit.SECONDS);
        }
        Map<String, Integer> afterRestart = requestIds(ledger);
        for (String id : completed) {
            assertEquals(1, afterRestart.getOrDefault(id, 0), "request " + id + " after restart");
        }
        assertTrue(afterRestart.values().stream().allMatch(n -> n == 1), "no request id appears twice");
        System.out.printf("crash test: %d requests completed before kill -9, ledger lines after restart %d%n",
                completed.size() - 1, afterRestart.values().stream().mapToInt(Integer::intValue).sum());
    }

    private static Process start(Path ledger) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m",
                "-Dquarkus.profile=demo",
                "-Dquarkus.http.port=" + PROXY_PORT,
                "-Dproxy.simulator.port=" + SIMULATOR_PORT,
                "-Dproxy.upstream-url=http://127.0.0.1:" + SIMULATOR_PORT,
                "-Dproxy.control-plane-url=http://127.0.0.1:" + SIMULATOR_PORT,
                "-Dproxy.ledger.dir=" + ledger,
                "-Dquarkus.log.level=WARN",
                "-jar", "target/quarkus-app/quarkus-run.jar"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File("target/ledger-crash-proxy.log")).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (var socket = new java.net.Socket("127.0.0.1", PROXY_PORT)) {
                return process;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the proxy did not start; see target/ledger-crash-proxy.log");
    }

    /** How often each requestId appears in the ledger's day files. */
    private static Map<String, Integer> requestIds(Path ledger) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> counts = new HashMap<>();
        for (Path file : new DayFiles(ledger).all()) { // (not the journal beside them)
            for (String line : Files.readAllLines(file)) {
                try {
                    JsonNode node = json.readTree(line);
                    counts.merge(node.get("requestId").asText(), 1, Integer::sum);
                } catch (IOException | NullPointerException torn) {
                    // the restarted proxy cut a torn tail, so none is expected; a stray one is not counted
                }
            }
        }
        return counts;
    }
}
