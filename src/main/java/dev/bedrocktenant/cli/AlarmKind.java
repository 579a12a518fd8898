package dev.bedrocktenant.cli;

import static dev.bedrocktenant.metering.cloudwatch.MetricNames.CACHE_READ_INPUT_TOKEN_COUNT;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.CACHE_WRITE_INPUT_TOKEN_COUNT;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.ESTIMATED_COST_USD;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INPUT_TOKEN_COUNT;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INVOCATIONS;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.OUTPUT_TOKEN_COUNT;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.bedrocktenant.metering.cloudwatch.TenantQuery;

/** The alarms a tenant gets: what each watches, summed over all its models, and over how long. */
enum AlarmKind {

    REQUESTS_PER_MINUTE("requests-per-minute", "requests answered per minute", 60, INVOCATIONS),
    /** Every token type, as limits.tokensPerMinute counts them. */
    TOKENS_PER_MINUTE("tokens-per-minute", "tokens per minute", 60,
            INPUT_TOKEN_COUNT, OUTPUT_TOKEN_COUNT, CACHE_READ_INPUT_TOKEN_COUNT, CACHE_WRITE_INPUT_TOKEN_COUNT),
    COST_5M("cost-5m", "estimated USD in 5 minutes", 300, ESTIMATED_COST_USD);

    final String id;
    final String what;
    final int periodSeconds;
    private final List<String> metricNames;

    AlarmKind(String id, String what, int periodSeconds, String... metricNames) {
        this.id = id;
        this.what = what;
        this.periodSeconds = periodSeconds;
        this.metricNames = List.of(metricNames);
    }

    /**
     * One query per metric; several are added up by an expression that reads a metric the tenant did not send
     * in a period (no cache tokens, say) as zero, where a plain sum would be missing.
     */
    List<AlarmSpec.Query> queries(String namespace, String tenantId) {
        if (metricNames.size() == 1) {
            return List.of(new AlarmSpec.Query("q1", TenantQuery.sum(namespace, metricNames.get(0), tenantId), periodSeconds, true));
        }
        List<AlarmSpec.Query> queries = new ArrayList<>();
        IntStream.range(0, metricNames.size()).forEach(i -> queries.add(new AlarmSpec.Query("q" + (i + 1),
                TenantQuery.sum(namespace, metricNames.get(i), tenantId), periodSeconds, false)));
        queries.add(new AlarmSpec.Query("total",
                queries.stream().map(q -> "FILL(" + q.id() + ", 0)").collect(Collectors.joining(" + ")), null, true));
        return queries;
    }
}
