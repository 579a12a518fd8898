package dev.bedrocktenant.admin.reconcile;

import static dev.bedrocktenant.metering.cloudwatch.MetricNames.BEDROCK_NAMESPACE;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INPUT_TOKEN_COUNT;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INVOCATIONS;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.MODEL_ID;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.OUTPUT_TOKEN_COUNT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * Reads what Bedrock itself recorded per application inference profile: the Sum of
 * {@code AWS/Bedrock} Invocations, InputTokenCount and OutputTokenCount with dimension
 * {@code ModelId} = the profile ARN, over a window, with GetMetricData.
 */
public final class BedrockMetricTotals {

    /**
     * Most queries in one GetMetricData call.
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html">GetMetricData</a>
     */
    static final int MAX_QUERIES_PER_CALL = 500;

    /**
     * CloudWatch keeps 1-minute data for 15 days, 5-minute data for 63 days, then hourly: an older
     * start needs a period that is a multiple of those.
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricStat.html">MetricStat</a>
     */
    static final Duration ONE_MINUTE_RETENTION = Duration.ofDays(15);
    static final Duration FIVE_MINUTE_RETENTION = Duration.ofDays(63);

    private static final List<String> METRICS = List.of(INVOCATIONS, INPUT_TOKEN_COUNT, OUTPUT_TOKEN_COUNT);

    private final CloudWatchAsyncClient client;

    public BedrockMetricTotals(CloudWatchAsyncClient client) {
        this.client = client;
    }

    /** @return totals per profile ARN; a profile without datapoints has zeros */
    public Map<String, ProfileTotals> read(List<String> profileArns, ReportWindow window, Instant now) {
        int period = period(window, now);
        List<MetricDataQuery> queries = new ArrayList<>();
        for (String arn : profileArns) {
            for (String metric : METRICS) {
                String id = "q" + queries.size(); // an Id must start with a lower-case letter
                queries.add(MetricDataQuery.builder().id(id).returnData(true)
                        .metricStat(s -> s.period(period).stat("Sum").metric(m -> m
                                .namespace(BEDROCK_NAMESPACE).metricName(metric)
                                .dimensions(d -> d.name(MODEL_ID).value(arn))))
                        .build());
            }
        }
        Map<String, Double> sums = new HashMap<>();
        for (int i = 0; i < queries.size(); i += MAX_QUERIES_PER_CALL) {
            sums.putAll(sums(queries.subList(i, Math.min(queries.size(), i + MAX_QUERIES_PER_CALL)), window));
        }
        Map<String, ProfileTotals> totals = new HashMap<>();
        for (int p = 0; p < profileArns.size(); p++) {
            totals.put(profileArns.get(p), new ProfileTotals(
                    Math.round(sums.getOrDefault("q" + (3 * p + 1), 0d)),
                    Math.round(sums.getOrDefault("q" + (3 * p + 2), 0d)),
                    Math.round(sums.getOrDefault("q" + (3 * p), 0d))));
        }
        return totals;
    }

    /** Sums every datapoint of every page: a query's results may be spread over several pages. */
    private Map<String, Double> sums(List<MetricDataQuery> queries, ReportWindow window) {
        Map<String, Double> sums = new HashMap<>();
        String token = null;
        do {
            String next = token;
            GetMetricDataResponse page = client.getMetricData(r -> r.metricDataQueries(queries)
                    .startTime(window.from()).endTime(window.to()).nextToken(next)).join();
            for (MetricDataResult result : page.metricDataResults()) {
                double sum = result.values().stream().mapToDouble(Double::doubleValue).sum();
                sums.merge(result.id(), sum, Double::sum);
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return sums;
    }

    /** One period spanning the window where CloudWatch allows it, so each series is one datapoint. */
    static int period(ReportWindow window, Instant now) {
        Duration age = Duration.between(window.from(), now);
        long unit = age.compareTo(FIVE_MINUTE_RETENTION) > 0 ? 3600 : age.compareTo(ONE_MINUTE_RETENTION) > 0 ? 300 : 60;
        long seconds = window.length().toSeconds();
        long period = Math.max(unit, (seconds + unit - 1) / unit * unit);
        return (int) Math.min(period, Integer.MAX_VALUE / 3600 * 3600);
    }
}
