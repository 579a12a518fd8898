package dev.bedrocktenant.metering.cloudwatch;

import static dev.bedrocktenant.metering.cloudwatch.MetricNames.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/**
 * Turns one interval's totals into datums: one StatisticSet per metric and series, whatever the
 * traffic, so the bill grows with series, not with requests. As in AWS/Bedrock every request is one
 * sample (an invocation is a sample of 1), so SampleCount, Sum, Average, Minimum and Maximum mean the
 * same in both namespaces. A metric with no sample in the interval is not sent (missing means zero).
 */
final class MetricDatums {

    /**
     * Longest dimension value CloudWatch takes.
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html">Dimension</a>
     */
    static final int MAX_DIMENSION_VALUE_LENGTH = 1024;

    private static final double NANOS_PER_MILLI = 1_000_000d;

    private MetricDatums() {
    }

    static List<MetricDatum> of(Map<SeriesKey, SeriesTotals> series, Instant timestamp) {
        List<MetricDatum> datums = new ArrayList<>();
        series.forEach((key, totals) -> add(datums, key, totals, timestamp));
        return datums;
    }

    private static void add(List<MetricDatum> out, SeriesKey key, SeriesTotals t, Instant timestamp) {
        List<Dimension> dimensions = List.of(dimension(TENANT_ID, key.tenant()), dimension(MODEL_ID, key.model()));
        Emitter emit = (name, unit, stat) -> out.add(MetricDatum.builder()
                .metricName(name).dimensions(dimensions).timestamp(timestamp).unit(unit).statisticValues(stat).build());

        counted(emit, INVOCATIONS, StandardUnit.COUNT, t.invocations, 1);
        counted(emit, INVOCATION_LATENCY, StandardUnit.MILLISECONDS, t.latencyNanos, NANOS_PER_MILLI);
        counted(emit, INVOCATION_THROTTLES, StandardUnit.COUNT, t.throttles, 1);
        counted(emit, INVOCATION_CLIENT_ERRORS, StandardUnit.COUNT, t.clientErrors, 1);
        counted(emit, INVOCATION_SERVER_ERRORS, StandardUnit.COUNT, t.serverErrors, 1);
        counted(emit, INPUT_TOKEN_COUNT, StandardUnit.COUNT, t.inputTokens, 1);
        counted(emit, OUTPUT_TOKEN_COUNT, StandardUnit.COUNT, t.outputTokens, 1);
        counted(emit, CACHE_READ_INPUT_TOKEN_COUNT, StandardUnit.COUNT, t.cacheReadTokens, 1);
        counted(emit, CACHE_WRITE_INPUT_TOKEN_COUNT, StandardUnit.COUNT, t.cacheWriteTokens, 1);
        if (t.costUsd.count() > 0) {
            emit.datum(ESTIMATED_COST_USD, StandardUnit.NONE, StatisticSet.builder()
                    .sampleCount((double) t.costUsd.count())
                    .sum(dollars(t.costUsd.sum()))
                    .minimum(dollars(t.costUsd.min()))
                    .maximum(dollars(t.costUsd.max()))
                    .build());
        }
    }

    private static void counted(Emitter emit, String name, StandardUnit unit, LongStat stat, double divisor) {
        if (stat.count() == 0) {
            return;
        }
        emit.datum(name, unit, StatisticSet.builder()
                .sampleCount((double) stat.count())
                .sum(stat.sum() / divisor)
                .minimum(stat.min() / divisor)
                .maximum(stat.max() / divisor)
                .build());
    }

    /** The only place money becomes binary floating point: on its way out. */
    private static double dollars(BigDecimal exact) {
        return exact.doubleValue();
    }

    private static Dimension dimension(String name, String value) {
        String v = value.length() > MAX_DIMENSION_VALUE_LENGTH ? value.substring(0, MAX_DIMENSION_VALUE_LENGTH) : value;
        return Dimension.builder().name(name).value(v.isEmpty() ? "_empty" : v).build();
    }

    @FunctionalInterface
    private interface Emitter {
        void datum(String name, StandardUnit unit, StatisticSet stat);
    }
}
