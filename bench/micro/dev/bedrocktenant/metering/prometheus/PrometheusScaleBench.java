package dev.bedrocktenant.metering.prometheus;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.bench.Measure;
import dev.bedrocktenant.metering.MeteringConfig;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * The per-tenant Prometheus series of T tenants × M models (bench/scale.sh), filled by the proxy's own
 * {@link PrometheusUsageMeters} with one Converse request per tenant and model (and, with a third argument
 * {@code stream}, one ConverseStream too: its time-to-first-token histogram). Prints the heap the series keep,
 * the text one scrape produces (bytes, samples) and the CPU time of a scrape (median of 9 after 2 untimed).
 * Arguments: T, M, and optionally {@code stream}.
 */
public final class PrometheusScaleBench {

    public static void main(String[] args) throws Exception {
        int tenants = Integer.parseInt(args[0]);
        int models = Integer.parseInt(args[1]);
        boolean streams = args.length > 2 && args[2].equals("stream");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.scrape(); // the registry's own start-up allocations are not the series'
        long before = Measure.heapAfterGc();
        PrometheusUsageMeters meters = new PrometheusUsageMeters(registry, new MeteringConfig() {
            public boolean enabled() {
                return true;
            }

            public int maxModelsPerTenant() {
                return 200;
            }
        });
        long began = Measure.cpuNanos();
        for (int t = 0; t < tenants; t++) {
            for (int m = 0; m < models; m++) {
                meters.record(usage(t, m, "Converse", Optional.empty()));
                if (streams) {
                    meters.record(usage(t, m, "ConverseStream", Optional.of(Duration.ofMillis(300 + m))));
                }
            }
        }
        double fillMs = (Measure.cpuNanos() - began) / 1e6;
        long after = Measure.heapAfterGc();
        int operations = streams ? 2 : 1;
        System.out.printf("series tenants %d models %d operations %d: first requests %.0f ms CPU (%.1f µs each)%n",
                tenants, models, operations, fillMs, fillMs * 1000 / (tenants * models * operations));
        System.out.printf("heap kept %.1f MiB (%.0f bytes a tenant×model)%n", (after - before) / 1048576.0,
                (after - before) / (double) (tenants * models));

        String text = registry.scrape();
        long samples = text.lines().filter(l -> l.startsWith("bedrock_tenant_")).count();
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("scrape %.1f MiB, %d bedrock_tenant_ samples (%d a tenant×model), %d lines in all%n",
                bytes / 1048576.0, samples, samples / (tenants * models), text.lines().count());
        for (String family : new String[]{"bedrock_tenant_requests_total", "bedrock_tenant_tokens_total",
                "bedrock_tenant_cost_usd_total", "bedrock_tenant_unpriced_requests_total",
                "bedrock_tenant_request_duration_seconds", "bedrock_tenant_time_to_first_token_seconds"}) {
            long n = text.lines().filter(l -> l.startsWith(family + "{") || l.startsWith(family + "_")).count();
            System.out.printf("  %-45s %8d samples%n", family, n);
        }
        double[] scrapes = new double[9];
        for (int i = -2; i < scrapes.length; i++) {
            began = Measure.cpuNanos();
            int length = registry.scrape().length();
            if (length < bytes / 2) {
                throw new AssertionError("a scrape of " + length + " characters");
            }
            if (i >= 0) {
                scrapes[i] = (Measure.cpuNanos() - began) / 1e6;
            }
        }
        Arrays.sort(scrapes);
        System.out.printf("scrape CPU median %.0f ms (lowest %.0f, highest %.0f)%n", scrapes[scrapes.length / 2],
                scrapes[0], scrapes[scrapes.length - 1]);
    }

    private static Usage usage(int tenant, int model, String operation, Optional<Duration> firstToken) {
        return new Usage(Instant.now(), "r", "tenant-" + tenant, "vendor.model-" + model + "-v1:0", Optional.empty(),
                operation, new TokenUsage(OptionalLong.of(120), OptionalLong.of(40), OptionalLong.of(30), OptionalLong.empty()),
                new BigDecimal("0.0000835"), true, 200, Outcome.SUCCESS, false, Duration.ofMillis(20 + model * 37L),
                firstToken);
    }
}
