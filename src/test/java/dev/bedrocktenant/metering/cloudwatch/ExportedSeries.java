package dev.bedrocktenant.metering.cloudwatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.metering.Usages;
import dev.bedrocktenant.usage.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the exporter really sends, for tests of what reads it (dashboards, alarms): it is given usage of every
 * kind — tokens of every type, cost, each outcome — and its PutMetricData calls are read back from a fake.
 *
 * @param namespaces the namespaces of the calls (one)
 * @param dimensions every metric name sent, to the dimension names it was sent with
 */
public record ExportedSeries(Set<String> namespaces, Map<String, Set<String>> dimensions) {

    public static ExportedSeries of(String namespace) throws Exception {
        try (FakeCloudWatch fake = new FakeCloudWatch()) {
            var client = CloudWatchClients.forExport("us-east-1", Optional.of(fake.endpoint()),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXPORTEDSERIES01", "exported-series-secret")),
                    Duration.ofSeconds(5));
            ExportSettings settings = new ExportSettings(namespace, Duration.ofHours(1), 100, 100, 1, Duration.ofMillis(10),
                    Duration.ofSeconds(5));
            CloudWatchExporter exporter = new CloudWatchExporter(settings, client, new SimpleMeterRegistry(),
                    Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
            try {
                String model = "anthropic.claude-3-haiku-20240307-v1:0";
                exporter.record(Usages.withCache(Usages.success("acme", model, 100, 20, "0.1", 120), 5L, 7L));
                exporter.record(Usages.failed("acme", model, 429, Outcome.THROTTLED, 10));
                exporter.record(Usages.failed("acme", model, 400, Outcome.CLIENT_ERROR, 5));
                exporter.record(Usages.failed("acme", model, 500, Outcome.SERVER_ERROR, 7));
                exporter.flushNow().get(10, TimeUnit.SECONDS);
            } finally {
                exporter.shutdown();
            }
            Set<String> namespaces = new TreeSet<>();
            fake.puts().forEach(p -> namespaces.add(p.namespace()));
            Map<String, Set<String>> dimensions = new TreeMap<>();
            fake.datums().forEach(d -> dimensions.computeIfAbsent(d.metricName(), n -> new TreeSet<>()).addAll(d.dimensions().keySet()));
            return new ExportedSeries(namespaces, dimensions);
        }
    }
}
