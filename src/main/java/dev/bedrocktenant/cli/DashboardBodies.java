package dev.bedrocktenant.cli;

import static dev.bedrocktenant.metering.cloudwatch.MetricNames.CACHE_READ_INPUT_TOKEN_COUNT;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.CACHE_WRITE_INPUT_TOKEN_COUNT;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.ESTIMATED_COST_USD;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INPUT_TOKEN_COUNT;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INVOCATIONS;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INVOCATION_CLIENT_ERRORS;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INVOCATION_LATENCY;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INVOCATION_SERVER_ERRORS;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.INVOCATION_THROTTLES;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.MODEL_ID;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.OUTPUT_TOKEN_COUNT;
import static dev.bedrocktenant.metering.cloudwatch.MetricNames.TENANT_ID;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bedrocktenant.metering.cloudwatch.InsightsQuery;

/**
 * The bodies of the dashboards the {@code dashboards} command puts: one per tenant — its cost, requests, tokens,
 * latency, throttles and errors, by model — and one over the fleet, its top tenants and models.
 * <p>
 * Every graph is one Metrics Insights query on the proxy's namespace, as the alarms are: CloudWatch runs one
 * such query per widget, and one with {@code GROUP BY ModelId} shows a model the tenant starts using later
 * without the dashboard being put again (a graph of plain metrics would have to name every model). Metrics
 * Insights reads at most two weeks back: a longer time range shows nothing before that.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html">Dashboard body structure</a>
 */
final class DashboardBodies {

    /** Most widgets a dashboard may have (CloudWatch's quota). */
    static final int MAX_WIDGETS = 500;
    /** Most metrics and expressions across a dashboard's widgets (CloudWatch's quota; each graph here has one). */
    static final int MAX_METRICS = 2500;
    /**
     * Most bytes of a body this command puts. CloudWatch's quotas count widgets and metrics, not bytes; a
     * body over 1 MB would be far beyond them, so bigger means a bug here, refused before any call.
     */
    static final int MAX_BODY_BYTES = 1_000_000;
    /** Data points of the graphs; the console widens it on long time ranges. */
    static final int PERIOD_SECONDS = 300;
    /** Tenants or models in each graph of the fleet dashboard. */
    static final int TOP = 10;
    private static final int GRID_COLUMNS = 24;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** As AWS advises for dashboards put by a script: say so on the dashboard. */
    private static final String WRITTEN_BY = "Written by the proxy's `dashboards` command: a change made here is "
            + "undone by its next run.";

    private final String namespace;
    private final String region;

    /** @param region where the widgets read the metrics: the Region the proxy sends them to */
    DashboardBodies(String namespace, String region) {
        this.namespace = namespace;
        this.region = region;
    }

    ObjectNode tenant(String tenantId) {
        Grid grid = new Grid();
        grid.row(2, text("## Bedrock tenant `" + tenantId + "`\nWhat this tenant used through Bedrock Tenant Proxy, by model "
                + "(namespace `" + namespace + "`). " + WRITTEN_BY));
        grid.row(4,
                total("Estimated cost (USD) in the time range", sum(ESTIMATED_COST_USD).tenant(tenantId)),
                total("Requests in the time range", sum(INVOCATIONS).tenant(tenantId)),
                total("Input tokens in the time range", sum(INPUT_TOKEN_COUNT).tenant(tenantId)),
                total("Output tokens in the time range", sum(OUTPUT_TOKEN_COUNT).tenant(tenantId)));
        grid.row(6,
                graph("Estimated cost (USD) by model", sum(ESTIMATED_COST_USD).tenant(tenantId).groupBy(MODEL_ID), true),
                graph("Requests by model", sum(INVOCATIONS).tenant(tenantId).groupBy(MODEL_ID), true));
        grid.row(6,
                graph("Input tokens by model", sum(INPUT_TOKEN_COUNT).tenant(tenantId).groupBy(MODEL_ID), true),
                graph("Output tokens by model", sum(OUTPUT_TOKEN_COUNT).tenant(tenantId).groupBy(MODEL_ID), true),
                graph("Cache read tokens by model", sum(CACHE_READ_INPUT_TOKEN_COUNT).tenant(tenantId).groupBy(MODEL_ID), true),
                graph("Cache write tokens by model", sum(CACHE_WRITE_INPUT_TOKEN_COUNT).tenant(tenantId).groupBy(MODEL_ID), true));
        // the exporter sends statistic sets, no distribution: average and maximum, no percentiles
        grid.row(6,
                graph("Latency (ms), average by model", query("AVG", INVOCATION_LATENCY).tenant(tenantId).groupBy(MODEL_ID), false),
                graph("Latency (ms), maximum by model", query("MAX", INVOCATION_LATENCY).tenant(tenantId).groupBy(MODEL_ID), false),
                graph("Throttles by model", sum(INVOCATION_THROTTLES).tenant(tenantId).groupBy(MODEL_ID), true));
        grid.row(6,
                graph("Client errors (refusals included) by model", sum(INVOCATION_CLIENT_ERRORS).tenant(tenantId).groupBy(MODEL_ID), true),
                graph("Server errors by model", sum(INVOCATION_SERVER_ERRORS).tenant(tenantId).groupBy(MODEL_ID), true));
        return grid.body();
    }

    ObjectNode fleet() {
        Grid grid = new Grid();
        grid.row(2, text("## Bedrock Tenant Proxy: all tenants\nThe " + TOP + " tenants or models with the most of each, "
                + "over the time range (namespace `" + namespace + "`). " + WRITTEN_BY));
        grid.row(6,
                bar("Estimated cost (USD) in the time range, top " + TOP + " tenants", sum(ESTIMATED_COST_USD).groupBy(TENANT_ID).top(TOP)),
                graph("Estimated cost (USD), top " + TOP + " tenants", sum(ESTIMATED_COST_USD).groupBy(TENANT_ID).top(TOP), true));
        grid.row(6,
                graph("Estimated cost (USD), top " + TOP + " models", sum(ESTIMATED_COST_USD).groupBy(MODEL_ID).top(TOP), true),
                graph("Requests, top " + TOP + " tenants", sum(INVOCATIONS).groupBy(TENANT_ID).top(TOP), true));
        grid.row(6,
                graph("Throttles, top " + TOP + " tenants", sum(INVOCATION_THROTTLES).groupBy(TENANT_ID).top(TOP), true),
                graph("Server errors, top " + TOP + " tenants", sum(INVOCATION_SERVER_ERRORS).groupBy(TENANT_ID).top(TOP), true),
                graph("Output tokens, top " + TOP + " tenants", sum(OUTPUT_TOKEN_COUNT).groupBy(TENANT_ID).top(TOP), true));
        return grid.body();
    }

    /** The body as sent: compact JSON, members in the order built, so that the same dashboard is the same text. */
    static String text(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree built here is always writable", e);
        }
    }

    /** A body as CloudWatch gives it back; compared as a tree, so that spacing and member order do not count. */
    static Optional<JsonNode> parse(String body) {
        if (body == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** @return why CloudWatch would refuse or cut this body, if it would */
    static Optional<String> overLimits(JsonNode body) {
        int widgets = body.path("widgets").size();
        int metrics = 0;
        for (JsonNode widget : body.path("widgets")) {
            metrics += widget.path("properties").path("metrics").size();
        }
        int bytes = text(body).getBytes(StandardCharsets.UTF_8).length;
        if (widgets > MAX_WIDGETS) {
            return Optional.of(widgets + " widgets, CloudWatch allows " + MAX_WIDGETS);
        }
        if (metrics > MAX_METRICS) {
            return Optional.of(metrics + " metrics, CloudWatch allows " + MAX_METRICS);
        }
        if (bytes > MAX_BODY_BYTES) {
            return Optional.of("body of " + bytes + " bytes, more than " + MAX_BODY_BYTES);
        }
        return Optional.empty();
    }

    private InsightsQuery sum(String metricName) {
        return query("SUM", metricName);
    }

    private InsightsQuery query(String function, String metricName) {
        return InsightsQuery.of(function, metricName, namespace);
    }

    private static ObjectNode text(String markdown) {
        ObjectNode widget = JSON.createObjectNode().put("type", "text");
        widget.putObject("properties").put("markdown", markdown);
        return widget;
    }

    /** A time series, one line (or band, stacked) per group. */
    private ObjectNode graph(String title, InsightsQuery query, boolean stacked) {
        ObjectNode widget = metric(title, query, "timeSeries");
        ((ObjectNode) widget.get("properties")).put("stacked", stacked);
        return widget;
    }

    /** One number: the query over the whole time range. */
    private ObjectNode total(String title, InsightsQuery query) {
        ObjectNode widget = metric(title, query, "singleValue");
        ((ObjectNode) widget.get("properties")).put("setPeriodToTimeRange", true);
        return widget;
    }

    /** One bar per group: the query over the whole time range. */
    private ObjectNode bar(String title, InsightsQuery query) {
        ObjectNode widget = metric(title, query, "bar");
        ((ObjectNode) widget.get("properties")).put("setPeriodToTimeRange", true);
        return widget;
    }

    private ObjectNode metric(String title, InsightsQuery query, String view) {
        ObjectNode widget = JSON.createObjectNode().put("type", "metric");
        ObjectNode properties = widget.putObject("properties")
                .put("title", title).put("region", region).put("view", view).put("period", PERIOD_SECONDS);
        // the widget's period applies, or its whole time range where set so
        ObjectNode expression = properties.putArray("metrics").addArray().addObject().put("expression", query.text()).put("id", "q1");
        if (query.groupBy() == null) {
            // one series: named as the widget, not by the query's text; grouped series are named by their group
            expression.put("label", title);
        }
        return widget;
    }

    /** Places widgets in rows of equal widths, top to bottom, on CloudWatch's grid of 24 columns. */
    private static final class Grid {

        private final ArrayNode widgets = JSON.createArrayNode();
        private int y;

        void row(int height, ObjectNode... cells) {
            int width = GRID_COLUMNS / cells.length;
            for (int i = 0; i < cells.length; i++) {
                ObjectNode placed = JSON.createObjectNode().put("type", cells[i].get("type").asText())
                        .put("x", i * width).put("y", y).put("width", width).put("height", height);
                placed.set("properties", cells[i].get("properties"));
                widgets.add(placed);
            }
            y += height;
        }

        ObjectNode body() {
            ObjectNode body = JSON.createObjectNode().put("start", "-PT24H");
            body.set("widgets", widgets);
            return body;
        }
    }
}
