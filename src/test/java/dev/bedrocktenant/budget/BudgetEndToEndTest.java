package dev.bedrocktenant.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.bedrocktenant.simulator.SimulatorJournal;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.PrometheusText;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * Limits and budgets through the proxy with the real SDK. The tenants (src/test/resources/budget/tenants.yaml)
 * call a model that costs exactly 1 USD per output token, so reservations and spend are whole dollars.
 */
@QuarkusTest
@TestProfile(BudgetEndToEndTest.Budgets.class)
class BudgetEndToEndTest {

    public static class Budgets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.ledger.dir", freshLedgerDir(), // spend of earlier runs would be rebuilt at start
                    "proxy.simulator.port", "18818",
                    "proxy.upstream-url", "http://127.0.0.1:18818",
                    "proxy.unmapped-model", "passthrough",
                    "proxy.tenants-file", Path.of("src/test/resources/budget/tenants.yaml").toAbsolutePath().toString(),
                    "proxy.pricing-file", Path.of("src/test/resources/budget/prices.json").toAbsolutePath().toString());
        }
    }

    static String freshLedgerDir() {
        try {
            return Files.createTempDirectory("budget-ledger-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String MODEL = "test.dollar-per-output-token-v1:0";

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorJournal journal;

    /** Per-minute counters roll over on the clock minute: start a test well inside one. */
    @BeforeEach
    void awayFromAMinuteBoundary() throws InterruptedException {
        long secondOfMinute = Instant.now().getEpochSecond() % 60;
        if (secondOfMinute > 45) {
            Thread.sleep((61 - secondOfMinute) * 1000);
        }
    }

    private BedrockRuntimeClient client(String tenant) {
        return BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", tenant)), new BedrockClients.SentBody());
    }

    /** Allows itself {@code maxTokens} output tokens (so reserves that many USD); simulator directives in the prompt. */
    private static ConverseRequest ask(int maxTokens, String directives) {
        return ConverseRequest.builder().modelId(MODEL).messages(BedrockCalls.userMessage("Hello " + directives))
                .inferenceConfig(c -> c.maxTokens(maxTokens)).build();
    }

    private static BigDecimal gauge(String metric, Map<String, String> labels) {
        return PrometheusText.sum(RestAssured.get("/metrics").asString(), metric, labels);
    }

    @Test
    void theSixthRequestWithinAMinuteOfAFiveRpmTenantIsThrottledWithRetryAfterAndTheHeadersCountDown() {
        try (BedrockRuntimeClient five = client("five")) {
            for (int i = 1; i <= 5; i++) {
                ConverseResponse answer = five.converse(ask(10, ""));
                assertEquals(String.valueOf(5 - i), answer.sdkHttpResponse().firstMatchingHeader("x-ratelimit-remaining-requests")
                        .orElseThrow(), "request " + i);
                assertEquals("5", answer.sdkHttpResponse().firstMatchingHeader("x-ratelimit-limit-requests").orElseThrow());
                long reset = Long.parseLong(answer.sdkHttpResponse().firstMatchingHeader("x-ratelimit-reset-requests")
                        .orElseThrow().replace("s", ""));
                assertTrue(reset >= 1 && reset <= 60, "resets within the minute: " + reset);
            }
            int forwarded = journal.requests().size();
            ThrottlingException refused = assertThrows(ThrottlingException.class, () -> five.converse(ask(10, "")));
            assertEquals(429, refused.statusCode());
            long retryAfter = Long.parseLong(refused.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertTrue(refused.getMessage().contains("tenant five is over its requestsPerMinute limit (5 requests per minute)"),
                    refused.getMessage());
            assertEquals(forwarded, journal.requests().size(), "nothing reached Bedrock");
        }
    }

    @Test
    void fiftyConcurrentRequestsAgainstRoomForFiveAdmitExactlyFive() throws Exception {
        // a rate limit of 5 per minute …
        assertEquals(5, admittedOf(50, "burst", client -> client.converse(ask(1, "[[sim:delay-ms=300]]"))));
        // … and a budget of 10 USD with each request reserving 2 USD, answered late so that none settles early
        assertEquals(5, admittedOf(50, "wallet", client -> client.converse(ask(2, "[[sim:delay-ms=300]] [[sim:output-tokens=2]]"))));
    }

    private int admittedOf(int concurrent, String tenant, Consumer<BedrockRuntimeClient> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrent);
        CountDownLatch go = new CountDownLatch(1);
        try (BedrockRuntimeClient client = client(tenant)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        call.accept(client);
                        return true;
                    } catch (ThrottlingException refused) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int admitted = 0;
            for (Future<Boolean> result : results) {
                admitted += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            return admitted;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void tokensPerMinuteReserveTheEstimateAndSettleTheMeteredUsageExactly() {
        try (BedrockRuntimeClient tokens = client("tokens")) {
            ConverseRequest request = ask(500, "[[sim:input-tokens=40]] [[sim:output-tokens=60]]");
            long first = remainingTokens(tokens.converse(request));
            long second = remainingTokens(tokens.converse(request));
            // the first request reserved its estimate, then settled at the 100 tokens it used; the second reserved
            // the same estimate on top of those 100
            assertEquals(100, first - second);
            long estimate = 100000 - first;
            assertTrue(estimate >= 500, "the estimate holds the 500 output tokens the request allows itself: " + estimate);
        }
    }

    private static long remainingTokens(ConverseResponse answer) {
        return Long.parseLong(answer.sdkHttpResponse().firstMatchingHeader("x-ratelimit-remaining-tokens").orElseThrow());
    }

    @Test
    void spendMovesTheLevelAtEachThresholdAndTheRatioToTheExactDecimal() {
        Map<String, String> daily = Map.of("tenant", "levels", "period", "daily");
        Map<String, String> tenant = Map.of("tenant", "levels");
        try (BedrockRuntimeClient levels = client("levels")) {
            levels.converse(ask(1, "[[sim:output-tokens=6]]"));
            assertEquals(new BigDecimal("0.6"), gauge(AlertLevels.USED_RATIO, daily));
            assertEquals(BigDecimal.ZERO, gauge(AlertLevels.LEVEL, tenant).stripTrailingZeros());
            levels.converse(ask(1, "[[sim:output-tokens=1]]"));
            assertEquals(new BigDecimal("0.7"), gauge(AlertLevels.USED_RATIO, daily));
            assertEquals(BigDecimal.ONE, gauge(AlertLevels.LEVEL, tenant).stripTrailingZeros());
            levels.converse(ask(1, "[[sim:output-tokens=2]]"));
            assertEquals(new BigDecimal("0.9"), gauge(AlertLevels.USED_RATIO, daily));
            assertEquals(new BigDecimal("2"), gauge(AlertLevels.LEVEL, tenant).stripTrailingZeros());
            levels.converse(ask(1, "[[sim:output-tokens=1]]"));
            assertEquals(BigDecimal.ONE, gauge(AlertLevels.USED_RATIO, daily).stripTrailingZeros());
            assertEquals(new BigDecimal("3"), gauge(AlertLevels.LEVEL, tenant).stripTrailingZeros());
            assertEquals(new BigDecimal("0.01"), gauge(AlertLevels.USED_RATIO, Map.of("tenant", "levels", "period", "monthly")));

            ThrottlingException red = assertThrows(ThrottlingException.class, () -> levels.converse(ask(1, "")));
            assertTrue(red.getMessage().contains("dailyUsd limit (10 USD per UTC day)"), red.getMessage());
        }
    }

    @Test
    void anAlertOnlyTenantIsNeverRefused() {
        try (BedrockRuntimeClient watcher = client("watcher")) {
            for (int i = 0; i < 3; i++) {
                watcher.converse(ask(5, "[[sim:output-tokens=1]]"));
            }
        }
        assertEquals(new BigDecimal("3"), gauge(AlertLevels.LEVEL, Map.of("tenant", "watcher")).stripTrailingZeros(),
                "red, and still served");
    }

    @Test
    void theConcurrencyCapHoldsUnderThirtyConcurrentStreams() throws Exception {
        BedrockRuntimeAsyncClient streams = BedrockClients.async(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "streams")),
                new BedrockClients.SentBody());
        try {
            List<CompletableFuture<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        BedrockCalls.converseStream(streams, BedrockCalls.converseStream(MODEL,
                                "Hi [[sim:events=5]] [[sim:pause-ms=200]]"));
                        return true;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof ThrottlingException) {
                            return false;
                        }
                        throw new IllegalStateException(e);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, Executors.newCachedThreadPool()));
            }
            long served = 0;
            for (CompletableFuture<Boolean> call : calls) {
                served += call.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            // each stream runs a second; all thirty start within it: three at a time, the rest refused at once
            assertEquals(3, served);
        } finally {
            streams.close();
        }
    }

    @Test
    void noOperationGoesAroundAdmission() {
        int forwarded = journal.requests().size();
        try (BedrockRuntimeClient broke = client("broke")) {
            List<Runnable> operations = List.of(
                    () -> broke.converse(ask(1, "")),
                    () -> broke.invokeModel(BedrockCalls.invokeModel(MODEL, "Hi")),
                    () -> broke.countTokens(r -> r.modelId(MODEL).input(i -> i.converse(c -> c.messages(BedrockCalls.userMessage("Hi"))))),
                    () -> broke.applyGuardrail(r -> r.guardrailIdentifier("g1").guardrailVersion("1").source("INPUT")
                            .content(c -> c.text(t -> t.text("Hi")))),
                    () -> broke.startAsyncInvoke(r -> r.modelId(MODEL).modelInput(software.amazon.awssdk.core.document.Document
                            .fromMap(Map.of())).outputDataConfig(o -> o.s3OutputDataConfig(s -> s.s3Uri("s3://bucket/out")))),
                    () -> broke.getAsyncInvoke(r -> r.invocationArn("arn:aws:bedrock:us-east-1:111122223333:async-invoke/abc")),
                    () -> broke.listAsyncInvokes(r -> r.maxResults(10)));
            for (Runnable operation : operations) {
                assertThrows(ThrottlingException.class, operation::run);
            }
        }
        BedrockRuntimeAsyncClient async = BedrockClients.async(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "broke")),
                new BedrockClients.SentBody());
        try {
            ExecutionException stream = assertThrows(ExecutionException.class,
                    () -> BedrockCalls.converseStream(async, BedrockCalls.converseStream(MODEL, "Hi")));
            assertTrue(stream.getCause() instanceof ThrottlingException, stream.getCause().toString());
            ExecutionException invokeStream = assertThrows(ExecutionException.class,
                    () -> BedrockCalls.invokeModelStream(async, BedrockCalls.invokeModelStream(MODEL, "Hi")));
            assertTrue(invokeStream.getCause() instanceof ThrottlingException, invokeStream.getCause().toString());
        } finally {
            async.close();
        }
        assertEquals(forwarded, journal.requests().size(), "nothing reached Bedrock");
    }

    @Test
    void aTenantWithoutLimitsPassesUntouched() {
        // "free" merely shares the free tier's name: it takes no tier
        try (BedrockRuntimeClient free = client("free")) {
            for (int i = 0; i < 7; i++) {
                ConverseResponse answer = free.converse(ask(1, ""));
                assertTrue(answer.sdkHttpResponse().firstMatchingHeader("x-ratelimit-limit-requests").isEmpty(),
                        "no rate-limit headers");
            }
        }
    }
}
