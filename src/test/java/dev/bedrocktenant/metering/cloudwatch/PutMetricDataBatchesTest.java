package dev.bedrocktenant.metering.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

class PutMetricDataBatchesTest {

    static List<MetricDatum> datums(int n, int modelLength) {
        String model = "m".repeat(modelLength);
        return IntStream.range(0, n).mapToObj(i -> MetricDatum.builder().metricName("InputTokenCount")
                .dimensions(Dimension.builder().name("TenantId").value("t" + i).build(),
                        Dimension.builder().name("ModelId").value(model).build())
                .timestamp(Instant.EPOCH).unit("Count").statisticValues(s -> s.sampleCount(1d).sum(1d).minimum(1d).maximum(1d))
                .build()).toList();
    }

    @Test
    void atMost1000DatumsPerCall() {
        List<List<MetricDatum>> batches = PutMetricDataBatches.split(datums(2500, 40));
        assertEquals(List.of(1000, 1000, 500), batches.stream().map(List::size).toList());
    }

    @Test
    void longDimensionValuesSplitByPayloadSizeBeforeTheCountLimit() {
        List<List<MetricDatum>> batches = PutMetricDataBatches.split(datums(1000, 1024));
        assertTrue(batches.size() >= 2, "batches: " + batches.size());
        for (List<MetricDatum> batch : batches) {
            int bytes = batch.stream().mapToInt(PutMetricDataBatches::estimatedSize).sum();
            assertTrue(bytes + PutMetricDataBatches.REQUEST_OVERHEAD_BYTES <= PutMetricDataBatches.MAX_PAYLOAD_BYTES);
        }
        assertEquals(1000, batches.stream().mapToInt(List::size).sum());
    }

    @Test
    void nothingToSendIsNoCall() {
        assertEquals(List.of(), PutMetricDataBatches.split(List.of()));
    }
}
