package dev.bedrocktenant.metering.prometheus;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.bench.Rounds;
import dev.bedrocktenant.metering.MeteringConfig;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * Recording one Converse request's Prometheus series, as the event loops do (on Netty threads, all into one
 * series: tenant, model and operation the same in content, each a String of its own as a request's are;
 * latencies across the buckets; 1024 different costs). Variants, one per JVM:
 * <ul>
 *   <li>{@code hand}: {@link PrometheusUsageMeters#record}, the per-thread totals and histograms;</li>
 *   <li>{@code micrometer}: the same with Micrometer's Counters and Timers ({@link MicrometerUsageMeters}).</li>
 * </ul>
 * A second argument runs that many threads at once (contending as event loops do).
 */
public final class PrometheusRecordBench {

    public static void main(String[] args) throws Throwable {
        Usage[] usages = new Usage[Rounds.INPUTS];
        for (int i = 0; i < usages.length; i++) {
            usages[i] = new Usage(Instant.now(), "r-" + i, fresh("acme"), fresh("anthropic.claude-3-haiku-20240307-v1:0"),
                    Optional.empty(), fresh("Converse"),
                    new TokenUsage(OptionalLong.of(120), OptionalLong.of(40), OptionalLong.of(30), OptionalLong.empty()),
                    new BigDecimal("0.0000835").add(BigDecimal.valueOf(i, 7)), true, 200, Outcome.SUCCESS, false,
                    Duration.ofMillis(20 + (i * 37L) % 3000), Optional.empty());
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeteringConfig config = new MeteringConfig() {
            public boolean enabled() {
                return true;
            }

            public int maxModelsPerTenant() {
                return 200;
            }
        };
        // one of them per JVM: they register the same names
        PrometheusUsageMeters hand = args[0].equals("micrometer") ? null : new PrometheusUsageMeters(registry, config);
        MicrometerUsageMeters micrometer = args[0].equals("micrometer") ? new MicrometerUsageMeters(registry) : null;
        Rounds.Op op = switch (args[0]) {
            case "hand" -> i -> {
                hand.record(usages[i]);
                return 1;
            };
            case "micrometer" -> i -> {
                micrometer.record(usages[i]);
                return 1;
            };
            default -> throw new IllegalArgumentException("variant: hand or micrometer");
        };
        Rounds.run(Rounds.threads(args), op);
        if (!registry.scrape().contains("bedrock_tenant_requests_total")) {
            throw new AssertionError("nothing recorded");
        }
    }

    /** Equal content in an array of its own, its hash already taken (the request's routing looked it up). */
    private static String fresh(String text) {
        String copy = new String(text.toCharArray());
        copy.hashCode();
        return copy;
    }
}
