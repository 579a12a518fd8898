package dev.bedrocktenant.metering.cloudwatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/** Cuts datums into PutMetricData calls that stay inside CloudWatch's limits. */
final class PutMetricDataBatches {

    /**
     * Most datums one PutMetricData call may carry.
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html">PutMetricData</a>
     */
    static final int MAX_DATUMS_PER_CALL = 1000;

    /**
     * Largest PutMetricData request body ("limited to 1 MB in size for HTTP POST requests").
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html">CloudWatch service quotas</a>
     */
    static final int MAX_PAYLOAD_BYTES = 1_000_000;

    /**
     * A generous bound on a datum's encoded size besides its strings: the member names, a timestamp
     * and a StatisticSet of four doubles come to about 150 bytes in CBOR (more in the query protocol).
     */
    static final int DATUM_OVERHEAD_BYTES = 256;

    /** Room for the namespace and the request's own framing. */
    static final int REQUEST_OVERHEAD_BYTES = 2048;

    private PutMetricDataBatches() {
    }

    static List<List<MetricDatum>> split(List<MetricDatum> datums) {
        List<List<MetricDatum>> batches = new ArrayList<>();
        List<MetricDatum> batch = new ArrayList<>();
        int bytes = REQUEST_OVERHEAD_BYTES;
        for (MetricDatum datum : datums) {
            int size = estimatedSize(datum);
            if (!batch.isEmpty() && (batch.size() == MAX_DATUMS_PER_CALL || bytes + size > MAX_PAYLOAD_BYTES)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = REQUEST_OVERHEAD_BYTES;
            }
            batch.add(datum);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    static int estimatedSize(MetricDatum datum) {
        int size = DATUM_OVERHEAD_BYTES + utf8(datum.metricName()) + utf8(datum.unitAsString());
        for (Dimension d : datum.dimensions()) {
            size += 32 + utf8(d.name()) + utf8(d.value());
        }
        return size;
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
