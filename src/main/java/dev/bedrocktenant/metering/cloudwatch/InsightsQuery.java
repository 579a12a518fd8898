package dev.bedrocktenant.metering.cloudwatch;

import static dev.bedrocktenant.metering.cloudwatch.MetricNames.MODEL_ID;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.TENANT_ID;

/**
 * A CloudWatch Metrics Insights query over the series the exporter sends. {@code SCHEMA} names both of their
 * dimensions, so that a query matches exactly those series and nothing else put in the same namespace.
 *
 * @param function  {@code SUM}, {@code AVG}, {@code MAX}, {@code MIN} or {@code SAMPLE_COUNT}
 * @param tenantId  null for every tenant; else a tenant id of the tenants file: letters, digits, '.', '_' and
 *                  '-' only, so it needs no escaping inside the quotes
 * @param groupBy   null for one series; else {@link MetricNames#TENANT_ID} or {@link MetricNames#MODEL_ID}
 * @param top       0 for every group; else only the groups with the largest values over the queried range
 */
public record InsightsQuery(String function, String metricName, String namespace, String tenantId, String groupBy, int top) {

    public static InsightsQuery of(String function, String metricName, String namespace) {
        return new InsightsQuery(function, metricName, namespace, null, null, 0);
    }

    public InsightsQuery tenant(String id) {
        return new InsightsQuery(function, metricName, namespace, id, groupBy, top);
    }

    public InsightsQuery groupBy(String dimension) {
        return new InsightsQuery(function, metricName, namespace, tenantId, dimension, top);
    }

    public InsightsQuery top(int n) {
        return new InsightsQuery(function, metricName, namespace, tenantId, groupBy, n);
    }

    public String text() {
        StringBuilder query = new StringBuilder("SELECT ").append(function).append('(').append(metricName)
                .append(") FROM SCHEMA(\"").append(namespace).append("\", ").append(TENANT_ID).append(", ").append(MODEL_ID).append(')');
        if (tenantId != null) {
            query.append(" WHERE ").append(TENANT_ID).append(" = '").append(tenantId).append('\'');
        }
        if (groupBy != null) {
            query.append(" GROUP BY ").append(groupBy);
        }
        if (top > 0) {
            query.append(" ORDER BY ").append(function).append("() DESC LIMIT ").append(top);
        }
        return query.toString();
    }
}
