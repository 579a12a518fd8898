package dev.bedrocktenant.metering.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Tag;
import io.prometheus.client.Collector;

/**
 * Shows the series' latency histograms (docs/reference.md, Metrics) to Prometheus as Micrometer showed its Timers: the same
 * names, help, labels (by name, {@code le} last) and bucket bounds, without the {@code _max} gauge the contract
 * does not list. Time to first token is shown for the series that have one (streams). Registered on the
 * Prometheus registry behind Micrometer: Micrometer has no meter that reads a histogram kept elsewhere.
 */
final class PrometheusHistograms extends Collector {

    private static final String[] LE = new String[LatencyHistogram.BUCKETS.length + 1];

    static {
        for (int bucket = 0; bucket < LatencyHistogram.BUCKETS.length; bucket++) {
            LE[bucket] = doubleToGoString(LatencyHistogram.BUCKETS[bucket].toNanos() / 1e9);
        }
        LE[LatencyHistogram.BUCKETS.length] = "+Inf";
    }

    private final List<PrometheusUsageMeters.Series> series;

    /** @param series every series, as they are created */
    PrometheusHistograms(List<PrometheusUsageMeters.Series> series) {
        this.series = series;
    }

    /** Each histogram with a series to show (a family without samples is left out, as Micrometer left it). */
    @Override
    public List<MetricFamilySamples> collect() {
        return Stream.of(
                        family("bedrock_tenant_request_duration_seconds", "Time from request to last byte",
                                PrometheusUsageMeters.DURATION, false),
                        family("bedrock_tenant_time_to_first_token_seconds",
                                "Time from request to the first generated content (streams)",
                                PrometheusUsageMeters.TIME_TO_FIRST_TOKEN, true))
                .filter(family -> !family.samples.isEmpty())
                .toList();
    }

    private MetricFamilySamples family(String name, String help, LatencyHistogram histogram, boolean onlyRecorded) {
        List<MetricFamilySamples.Sample> samples = new ArrayList<>();
        for (PrometheusUsageMeters.Series one : series) {
            LatencyHistogram.Snapshot snapshot = histogram.read(one.totals());
            if (onlyRecorded && snapshot.count() == 0) {
                continue;
            }
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (Tag tag : one.tags()) { // (Micrometer's Tags are sorted by key, as it labels its own series)
                names.add(tag.getKey());
                values.add(tag.getValue());
            }
            List<String> bucketNames = new ArrayList<>(names);
            bucketNames.add("le");
            for (int bucket = 0; bucket < LE.length; bucket++) {
                List<String> bucketValues = new ArrayList<>(values);
                bucketValues.add(LE[bucket]);
                samples.add(new MetricFamilySamples.Sample(name + "_bucket", bucketNames, bucketValues,
                        snapshot.cumulative()[bucket]));
            }
            samples.add(new MetricFamilySamples.Sample(name + "_count", names, values, snapshot.count()));
            samples.add(new MetricFamilySamples.Sample(name + "_sum", names, values, snapshot.sumSeconds()));
        }
        return new MetricFamilySamples(name, Type.HISTOGRAM, help, samples);
    }
}
