package dev.bedrocktenant.metering.cloudwatch;



/**
 * One tenant's figure over all its models, as a CloudWatch Metrics Insights query on the proxy's namespace.
 * <p>
 * Why Metrics Insights: the exporter sends every metric with both {@code TenantId} and {@code ModelId}, and
 * an alarm on a plain metric needs all of its dimensions, so it would watch one model only. Metric math over
 * explicit metrics needs every model named in advance (at most 10 of them), and {@code SEARCH()} is not
 * allowed in alarms. A Metrics Insights query without {@code GROUP BY} returns one series, summed over
 * whatever models the tenant uses now or later, and alarms accept it, alone or as input of metric math.
 */
public final class TenantQuery {

    private TenantQuery() {
    }

    /**
     * @param tenantId a tenant id of the tenants file: letters, digits, '.', '_' and '-' only, so it needs no
     *                 escaping inside the quotes
     */
    public static String sum(String namespace, String metricName, String tenantId) {
        return InsightsQuery.of("SUM", metricName, namespace).tenant(tenantId).text();
    }
}
