package dev.bedrocktenant.budget;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * Two proxies (the packaged jar, each in its own JVM in front of its own simulator) with proxy.state=redis over
 * one real redis-server, called through the AWS SDK: concurrent requests spread over both admit exactly one
 * rate limit's and one budget's room; with Redis killed both still serve, with bedrock_tenant_state_store_up 0;
 * with Redis back (empty) it reads 1, and Redis holds what both counted meanwhile.
 */
class RedisFleetIT {

    private static final String TENANTS = """
            tenants:
              fleet:
                profiles:
                  "%1$s": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/fleet0haiku01"
                limits: { requestsPerMinute: 10 }
              spender:
                profiles:
                  "%1$s": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/spender0haiku1"
                budget: { dailyUsd: 0.000001 }
              warmup:
                profiles:
                  "%1$s": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/warmup0haiku1"
                limits: { requestsPerMinute: 100000 }
            """.formatted(HAIKU);

    private RedisServer redis;
    private final List<Process> proxies = new ArrayList<>();
    private final List<URL> urls = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        Path dir = Files.createTempDirectory("redis-fleet-");
        Path tenants = Files.writeString(dir.resolve("tenants.yaml"), TENANTS);
        for (int i = 0; i < 2; i++) {
            int port = freePort();
            proxies.add(startProxy(i, port, freePort(), tenants, dir.resolve("ledger-" + i)));
            urls.add(new URL("http://127.0.0.1:" + port + "/"));
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> up(0) == 1 && up(1) == 1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process proxy : proxies) {
            proxy.destroy();
            proxy.waitFor(20, TimeUnit.SECONDS);
        }
        redis.close();
    }

    @Test
    void twoProxiesShareOneRateLimitAndOneBudgetAndServeWhileRedisIsAway() throws Exception {
        served("warmup", 40);
        waitForAFreshMinute();
        assertEquals(10, served("fleet", 30), "requestsPerMinute 10, across both proxies");
        assertEquals(1, served("spender", 10), "the first request's estimate uses the whole daily budget up");

        redis.kill();
        long minute = Period.minuteOf(Instant.now());
        assertEquals(2, served("fleet", 2), "each proxy under its own counts while Redis is away");
        await().atMost(5, TimeUnit.SECONDS).until(() -> up(0) == 0 && up(1) == 0);

        redis.restart();
        await().atMost(10, TimeUnit.SECONDS).until(() -> up(0) == 1 && up(1) == 1);
        if (Period.minuteOf(Instant.now()) <= minute + 1) { // (an older minute is not merged: it no longer counts)
            assertEquals("2", redis.call("HGET", "btp:{fleet}:minute:" + minute, "requests"));
        }
    }

    /** n Converse calls at once, alternately on each proxy: how many were served (the rest throttled by the proxy). */
    private int served(String tenant, int n) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try {
            List<Future<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                URL url = urls.get(i % 2);
                calls.add(callers.submit(() -> {
                    try (BedrockRuntimeClient bedrock = BedrockClients.sync(url, Caller.withHeaders(Map.of("X-Tenant-Id", tenant)),
                            new BedrockClients.SentBody())) {
                        bedrock.converse(BedrockCalls.converse(HAIKU, "[[sim:output-tokens=3]]"));
                        return true;
                    } catch (ThrottlingException refused) {
                        assertEquals(429, refused.statusCode());
                        return false;
                    }
                }));
            }
            int served = 0;
            for (Future<Boolean> call : calls) {
                served += call.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            return served;
        } finally {
            callers.shutdownNow();
        }
    }

    /** The rate limit counts per clock minute: the burst must not straddle two. */
    private static void waitForAFreshMinute() throws InterruptedException {
        long second = Instant.now().getEpochSecond() % 60;
        if (second > 40) {
            Thread.sleep((61 - second) * 1000);
        }
    }

    private double up(int proxy) throws IOException, InterruptedException {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(urls.get(proxy) + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(line -> line.startsWith("bedrock_tenant_state_store_up "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(-1);
        } catch (IOException notYet) {
            return -1;
        }
    }

    private Process startProxy(int index, int port, int simulatorPort, Path tenants, Path ledger) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = new File("target/redis-fleet-proxy-" + index + ".log");
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m",
                "-Dquarkus.profile=demo",
                "-Dquarkus.http.port=" + port,
                "-Dproxy.simulator.port=" + simulatorPort,
                "-Dproxy.upstream-url=http://127.0.0.1:" + simulatorPort,
                "-Dproxy.control-plane-url=http://127.0.0.1:" + simulatorPort,
                "-Dproxy.tenants-file=" + tenants,
                "-Dproxy.ledger.dir=" + ledger,
                "-Dproxy.state=redis",
                "-Dquarkus.redis.hosts=" + redis.uri(),
                // two proxies, two simulators, Redis and the test on two cores: a slow answer is not Redis gone
                "-Dproxy.redis.timeout=5s",
                "-jar", "target/quarkus-app/quarkus-run.jar")).redirectErrorStream(true).redirectOutput(log).start();
        assertTrue(process.isAlive(), "see " + log);
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
