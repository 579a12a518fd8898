package dev.bedrocktenant.metering.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import dev.bedrocktenant.metering.MeteringConfig;
import dev.bedrocktenant.metering.TestMeteringConfig;
import dev.bedrocktenant.testing.PrometheusText;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The latency histograms are kept by hand (per thread) but must show exactly what Micrometer's Timers showed,
 * which dashboards and alert rules were written against: the same lines, bar the {@code _max} gauge.
 */
class PrometheusHistogramsTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30Z");
    private static final MeteringConfig CONFIG = new TestMeteringConfig(10);
    /** Around every bucket bound: at it, a nanosecond over it; and zero, and far past the last bound. */
    private static final List<Duration> LATENCIES = latencies();

    private static List<Duration> latencies() {
        List<Duration> latencies = new java.util.ArrayList<>(List.of(Duration.ZERO, Duration.ofNanos(1),
                Duration.ofMillis(812), Duration.ofMinutes(7), Duration.ofHours(30)));
        for (Duration bound : LatencyHistogram.BUCKETS) {
            latencies.add(bound);
            latencies.add(bound.plusNanos(1));
            latencies.add(bound.minusMillis(1));
        }
        return latencies;
    }

    @Test
    void showsTheSameLinesAsMicrometersTimerDid() {
        PrometheusMeterRegistry ours = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusUsageMeters meters = new PrometheusUsageMeters(ours, CONFIG);
        PrometheusMeterRegistry micrometers = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (String operation : List.of("Converse", "ConverseStream")) {
            Timer duration = timer(micrometers, "bedrock.tenant.request.duration", "Time from request to last byte", operation);
            Timer firstToken = timer(micrometers, "bedrock.tenant.time.to.first.token",
                    "Time from request to the first generated content (streams)", operation);
            for (Duration latency : LATENCIES) {
                Optional<Duration> ttft = operation.endsWith("Stream") ? Optional.of(latency.dividedBy(3)) : Optional.empty();
                meters.record(usage(operation, latency, ttft));
                duration.record(latency);
                ttft.ifPresent(firstToken::record);
            }
        }
        // Micrometer also shows a zero time-to-first-token histogram for Converse, which has none (streams only,
        // docs/reference.md): the proxy leaves it out
        assertEquals(histogramLines(micrometers.scrape()).stream()
                        .filter(line -> !(line.startsWith("bedrock_tenant_time_to_first_token") && line.contains("\"Converse\"")))
                        .collect(Collectors.toList()),
                histogramLines(ours.scrape()));
    }

    @Test
    void eachThreadAddsToItsOwnShardAndAScrapeSumsThemExactly() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusUsageMeters meters = new PrometheusUsageMeters(registry, CONFIG);
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 25_000; i++) {
                    meters.record(usage("Converse", Duration.ofMillis(i % 2 == 0 ? 40 : 700), Optional.empty()));
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        String text = registry.scrape();
        Map<String, String> series = Map.of("tenant", "acme", "model", "m", "operation", "Converse");
        assertEquals(50_000, bucket(text, series, "0.05"));
        assertEquals(50_000, bucket(text, series, "0.5"));
        assertEquals(100_000, bucket(text, series, "1.0"));
        assertEquals(100_000, bucket(text, series, "+Inf"));
        assertEquals(100_000, PrometheusText.sum(text, "bedrock_tenant_request_duration_seconds_count", series).intValue());
        assertEquals(37_000.0, PrometheusText.sum(text, "bedrock_tenant_request_duration_seconds_sum", series).doubleValue(),
                1e-6); // 50,000 × 0.04 s + 50,000 × 0.7 s
        assertFalse(text.contains("time_to_first_token"), "no stream, so no time-to-first-token histogram at all");
    }

    private static int bucket(String text, Map<String, String> series, String le) {
        Map<String, String> labels = new java.util.HashMap<>(series);
        labels.put("le", le);
        return PrometheusText.sum(text, "bedrock_tenant_request_duration_seconds_bucket", labels).intValue();
    }

    private static Timer timer(PrometheusMeterRegistry registry, String name, String help, String operation) {
        return Timer.builder(name).description(help).serviceLevelObjectives(LatencyHistogram.BUCKETS)
                .tags("tenant", "acme", "model", "m", "operation", operation).register(registry);
    }

    private static Usage usage(String operation, Duration latency, Optional<Duration> ttft) {
        return new Usage(AT, "r", "acme", "m", Optional.empty(), operation,
                new TokenUsage(OptionalLong.of(1), OptionalLong.of(1), OptionalLong.empty(), OptionalLong.empty()),
                BigDecimal.ONE, true, 200, Outcome.SUCCESS, false, latency, ttft);
    }

    /** The lines of the two histogram families, bar Micrometer's {@code _max} gauges. */
    private static List<String> histogramLines(String scrape) {
        return scrape.lines()
                .filter(line -> line.contains("bedrock_tenant_request_duration_seconds")
                        || line.contains("bedrock_tenant_time_to_first_token_seconds"))
                .filter(line -> !line.contains("_seconds_max"))
                .sorted()
                .collect(Collectors.toList());
    }
}
