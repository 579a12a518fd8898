package dev.bedrocktenant.metering.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.bedrocktenant.metering.Usages;
import dev.bedrocktenant.metering.cloudwatch.FakeCloudWatch.Datum;
import dev.bedrocktenant.metering.cloudwatch.FakeCloudWatch.Stats;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The exporter with the real SDK async client, against {@link FakeCloudWatch}. */
class CloudWatchExporterTest {

    static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
    static final String SONNET = "us.anthropic.claude-sonnet-4-20250514-v1:0";
    /** An interval end well away from the hourly timer's own boundaries. */
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    final FakeCloudWatch fake = new FakeCloudWatch();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CloudWatchExporter exporter;

    @AfterEach
    void tearDown() {
        if (exporter != null) {
            exporter.shutdown();
        }
        fake.close();
    }

    CloudWatchExporter exporter(int maxSeries, int maxAttempts, Duration retryDelay) {
        ExportSettings settings = new ExportSettings("BedrockTenants", Duration.ofHours(1), maxSeries, 100,
                maxAttempts, retryDelay, Duration.ofSeconds(5));
        var client = CloudWatchClients.forExport("us-east-1", Optional.of(fake.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXPORTTEST000001", "export-test-secret")),
                Duration.ofSeconds(5));
        exporter = new CloudWatchExporter(settings, client, registry, Clock.fixed(NOW, ZoneOffset.UTC));
        return exporter;
    }

    @Test
    void sendsOneStatisticSetPerMetricAndSeriesWithBedrocksNames() throws Exception {
        CloudWatchExporter e = exporter(100, 1, Duration.ofMillis(10));
        e.record(Usages.withCache(Usages.success("acme", HAIKU, 100, 20, "0.1", 120), 5L, null));
        e.record(Usages.withCache(Usages.success("acme", HAIKU, 300, 40, "0.2", 80), 0L, null));
        e.record(Usages.failed("acme", HAIKU, 429, Outcome.THROTTLED, 10));
        e.record(Usages.failed("acme", HAIKU, 403, Outcome.REJECTED, 1));
        e.record(Usages.failed("acme", HAIKU, 400, Outcome.CLIENT_ERROR, 5));
        e.record(Usages.failed("acme", HAIKU, 500, Outcome.SERVER_ERROR, 7));
        e.record(Usages.success("beta", SONNET, 7, 3, "0.000123", 1500));
        // CountTokens is a request, not usage: no token or cost sample
        e.record(Usages.usage("beta", SONNET, "CountTokens", TokenUsage.of(99, 0), "0", 200, Outcome.SUCCESS, 1500));

        e.flushNow().get(10, TimeUnit.SECONDS);

        assertEquals(1, fake.puts().size());
        FakeCloudWatch.PutCall put = fake.puts().get(0);
        assertEquals("BedrockTenants", put.namespace());
        assertEquals("application/cbor", put.contentType());
        assertTrue(put.authorization().contains("/us-east-1/monitoring/aws4_request"), put.authorization());

        Map<String, Datum> acme = byName(fake.datums(), "acme", HAIKU);
        assertEquals(Set.of("Invocations", "InvocationLatency", "InvocationThrottles", "InvocationClientErrors",
                "InvocationServerErrors", "InputTokenCount", "OutputTokenCount", "CacheReadInputTokenCount",
                "EstimatedCostUSD"), acme.keySet(), "no CacheWriteInputTokenCount: never reported");
        for (Datum d : fake.datums()) {
            assertEquals(NOW, d.timestamp(), "timestamp = end of the interval");
            assertNull(d.value());
            assertEquals(List.of("TenantId", "ModelId"), List.copyOf(d.dimensions().keySet()));
        }
        assertDatum(acme, "Invocations", "Count", new Stats(2, 2, 1, 1));
        assertDatum(acme, "InvocationLatency", "Milliseconds", new Stats(2, 200, 80, 120));
        assertDatum(acme, "InvocationThrottles", "Count", new Stats(1, 1, 1, 1));
        // the proxy's own refusal (403, rejected) is a client error from the application's point of view
        assertDatum(acme, "InvocationClientErrors", "Count", new Stats(2, 2, 1, 1));
        assertDatum(acme, "InvocationServerErrors", "Count", new Stats(1, 1, 1, 1));
        assertDatum(acme, "InputTokenCount", "Count", new Stats(2, 400, 100, 300));
        assertDatum(acme, "OutputTokenCount", "Count", new Stats(2, 60, 20, 40));
        assertDatum(acme, "CacheReadInputTokenCount", "Count", new Stats(2, 5, 0, 5));
        // summed exactly: 0.1 + 0.2 in binary floating point would be 0.30000000000000004
        assertDatum(acme, "EstimatedCostUSD", "None", new Stats(2, 0.3, 0.1, 0.2));

        Map<String, Datum> beta = byName(fake.datums(), "beta", SONNET);
        assertEquals(Set.of("Invocations", "InvocationLatency", "InputTokenCount", "OutputTokenCount", "EstimatedCostUSD"),
                beta.keySet(), "zero errors are not sent");
        assertDatum(beta, "Invocations", "Count", new Stats(2, 2, 1, 1));
        assertDatum(beta, "InputTokenCount", "Count", new Stats(1, 7, 7, 7));
        assertDatum(beta, "EstimatedCostUSD", "None", new Stats(1, 0.000123, 0.000123, 0.000123));
        assertEquals(14, fake.datums().size());
        assertEquals(14, registry.counter(BatchSender.SENT_DATUMS).count());
    }

    @Test
    void anIntervalWithoutUsageSendsNothing() throws Exception {
        exporter(100, 1, Duration.ofMillis(10)).flushNow().get(10, TimeUnit.SECONDS);
        assertEquals(0, fake.requests());
    }

    @Test
    void neverMoreThan1000DatumsPerCall() throws Exception {
        CloudWatchExporter e = exporter(5000, 1, Duration.ofMillis(10));
        for (int i = 0; i < 1200; i++) {
            e.record(Usages.success("t" + i, HAIKU, 10, 5, "0.001", 50)); // 5 datums per series
        }
        e.flushNow().get(30, TimeUnit.SECONDS);

        assertEquals(6000, fake.datums().size());
        assertTrue(fake.puts().size() >= 6, "calls: " + fake.puts().size());
        fake.puts().forEach(p -> assertTrue(p.datums().size() <= PutMetricDataBatches.MAX_DATUMS_PER_CALL));
        assertEquals(1200, fake.datums().stream().map(d -> d.dimensions().get("TenantId")).distinct().count());
    }

    @Test
    void recordNeverWaitsForADownEndpointAndDropsAreCountedAfterTheRetries() throws Exception {
        fake.stop();
        CloudWatchExporter e = exporter(100, 3, Duration.ofMillis(20));
        e.record(Usages.success("acme", HAIKU, 10, 5, "0.001", 50));
        var flushed = e.flushNow(); // sending, failing and retrying from here on

        // record() from another thread while the exporter fights the dead endpoint: it only adds to
        // memory, so 10 000 calls take far less than one SDK call's 5 s timeout
        long[] elapsed = new long[1];
        Thread caller = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                e.record(Usages.success("acme", HAIKU, 1, 1, "0", 1));
            }
            elapsed[0] = System.nanoTime() - start;
        });
        caller.start();
        caller.join(5_000);
        assertFalse(caller.isAlive());
        assertTrue(elapsed[0] < TimeUnit.SECONDS.toNanos(2), "record took " + elapsed[0] / 1_000_000 + " ms");

        flushed.get(30, TimeUnit.SECONDS);
        assertEquals(5, dropped("retries_exhausted"), "the first interval's 5 datums, after 3 attempts");
        assertEquals(0, fake.requests());

        fake.start(); // the 10 000 records recorded meanwhile still go out, at shutdown
        e.shutdown();
        exporter = null;
        assertEquals(10_000, byName(fake.datums(), "acme", HAIKU).get("Invocations").statisticValues().sum());
    }

    @Test
    void aRetrySucceedsOnceTheEndpointAnswersAgain() throws Exception {
        CloudWatchExporter e = exporter(100, 4, Duration.ofMillis(10));
        fake.failNext(2);
        e.record(Usages.success("acme", HAIKU, 10, 5, "0.001", 50));
        e.flushNow().get(30, TimeUnit.SECONDS);

        assertEquals(3, fake.requests(), "two 500s, then accepted");
        assertEquals(5, fake.datums().size());
        assertEquals(0, dropped("retries_exhausted"));
    }

    @Test
    void aRetrySucceedsOnceAStoppedEndpointIsBack() throws Exception {
        CloudWatchExporter e = exporter(100, 8, Duration.ofMillis(100));
        fake.stop();
        e.record(Usages.success("acme", HAIKU, 10, 5, "0.001", 50));
        var flushed = e.flushNow();
        Thread.sleep(150);
        fake.start();
        flushed.get(60, TimeUnit.SECONDS);

        assertEquals(5, fake.datums().size());
        assertEquals(0, dropped("retries_exhausted"));
    }

    @Test
    void givesUpAfterMaxAttemptsAgainstA500() throws Exception {
        CloudWatchExporter e = exporter(100, 3, Duration.ofMillis(10));
        fake.failing(true);
        e.record(Usages.success("acme", HAIKU, 10, 5, "0.001", 50));
        e.flushNow().get(30, TimeUnit.SECONDS);

        assertEquals(3, fake.requests());
        assertEquals(5, dropped("retries_exhausted"));
    }

    @Test
    void usageOfSeriesBeyondTheBoundIsDroppedAndCounted() throws Exception {
        CloudWatchExporter e = exporter(2, 1, Duration.ofMillis(10));
        e.record(Usages.success("a", HAIKU, 1, 1, "0", 1));
        e.record(Usages.success("b", HAIKU, 1, 1, "0", 1));
        e.record(Usages.success("c", HAIKU, 1, 1, "0", 1));
        e.record(Usages.success("a", HAIKU, 1, 1, "0", 1)); // an existing series still counts
        e.flushNow().get(10, TimeUnit.SECONDS);

        assertEquals(1, registry.counter(CloudWatchExporter.DROPPED_USAGES, "reason", "series_limit").count());
        assertEquals(Set.of("a", "b"), fake.datums().stream().map(d -> d.dimensions().get("TenantId")).collect(Collectors.toSet()));
        assertEquals(2, byName(fake.datums(), "a", HAIKU).get("Invocations").statisticValues().sum());
    }

    @Test
    void shutdownSendsTheLastInterval() {
        CloudWatchExporter e = exporter(100, 1, Duration.ofMillis(10));
        e.record(Usages.success("acme", HAIKU, 10, 5, "0.001", 50));
        e.shutdown();
        exporter = null;
        assertEquals(5, fake.datums().size());
    }

    @Test
    void disabledRecordsNothingAndHasNoClient() {
        CloudWatchExporter e = new CloudWatchExporter(null, null, registry, Clock.systemUTC());
        e.record(Usages.success("acme", HAIKU, 10, 5, "0.001", 50));
        assertFalse(e.enabled());
        e.shutdown();
    }

    double dropped(String reason) {
        return registry.counter(BatchSender.DROPPED_DATUMS, "reason", reason).count();
    }

    static Map<String, Datum> byName(List<Datum> datums, String tenant, String model) {
        return datums.stream()
                .filter(d -> tenant.equals(d.dimensions().get("TenantId")) && model.equals(d.dimensions().get("ModelId")))
                .collect(Collectors.toMap(Datum::metricName, d -> d));
    }

    static void assertDatum(Map<String, Datum> datums, String name, String unit, Stats expected) {
        Datum d = datums.get(name);
        assertEquals(unit, d.unit(), name);
        assertEquals(expected, d.statisticValues(), name);
    }
}
