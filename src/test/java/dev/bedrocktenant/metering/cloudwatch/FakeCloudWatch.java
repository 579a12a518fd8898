package dev.bedrocktenant.metering.cloudwatch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A CloudWatch endpoint for tests, speaking what the AWS SDK for Java v2 speaks to it: Smithy RPC v2
 * CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/<Operation>}). Records every
 * PutMetricData call, answers GetMetricData from canned series, keeps the alarms PutMetricAlarm puts and
 * DescribeAlarms lists and the dashboards PutDashboard puts and GetDashboard gets, and fails or goes away on demand.
 */
public final class FakeCloudWatch implements AutoCloseable {

    public static final String PATH_PREFIX = "/service/GraniteServiceVersion20100801/operation/";
    private static final CBORMapper CBOR = new CBORMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DASHBOARD_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    /** A StatisticSet as sent. */
    public record Stats(double sampleCount, double sum, double minimum, double maximum) {
    }

    /** One datum as sent; absent members are null. */
    public record Datum(String metricName, Map<String, String> dimensions, String unit, Instant timestamp,
                        Double value, Stats statisticValues, List<Double> values, List<Double> counts) {
    }

    public record PutCall(String namespace, List<Datum> datums, String contentType, String authorization) {
    }

    /** One GetMetricData request as received. */
    public record MetricQuery(String id, String namespace, String metricName, Map<String, String> dimensions,
                              int period, String stat) {
    }

    public record GetCall(Instant start, Instant end, List<MetricQuery> queries, String nextToken) {
    }

    /** One entry of an alarm's Metrics; absent members are null. */
    public record AlarmQuery(String id, String expression, Integer period, Boolean returnData) {
    }

    /** One PutMetricAlarm request as received; absent members are null. */
    public record AlarmPut(String alarmName, String description, List<AlarmQuery> metrics, Double threshold,
                           String comparisonOperator, Integer evaluationPeriods, Integer datapointsToAlarm,
                           String treatMissingData, List<String> alarmActions, Map<String, String> tags,
                           String namespace, String metricName) {
    }

    /** One PutDashboard request as received. */
    public record DashboardPut(String name, String body) {
    }

    private record Series(String namespace, String metricName, Map<String, String> dimensions, double[] values) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final List<PutCall> puts = new CopyOnWriteArrayList<>();
    private final List<GetCall> gets = new CopyOnWriteArrayList<>();
    private final List<Series> series = new CopyOnWriteArrayList<>();
    private final List<AlarmPut> alarmPuts = new CopyOnWriteArrayList<>();
    /** As CloudWatch keeps them: what was put, tags aside, by name in name order. */
    private final Map<String, ObjectNode> alarms = new ConcurrentSkipListMap<>();
    private final Map<String, Map<String, String>> alarmTags = new ConcurrentHashMap<>();
    private volatile int alarmQuota = Integer.MAX_VALUE;
    private final List<DashboardPut> dashboardPuts = new CopyOnWriteArrayList<>();
    /** By name, the body as put: CloudWatch gives back the text it was given. */
    private final Map<String, String> dashboards = new ConcurrentSkipListMap<>();
    private volatile String dashboardWarning;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean failing;
    private volatile int pageSize = 500;
    private volatile int port;
    private HttpServer server;

    public FakeCloudWatch() {
        start();
    }

    /** (Re)starts listening; on the same port as before once it has one. */
    public synchronized void start() {
        server = vertx.createHttpServer().requestHandler(this::handle);
        port = await(server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture()).actualPort();
    }

    /** Stops listening: calls fail to connect, as to an endpoint that is down. */
    public synchronized void stop() {
        await(server.close().toCompletionStage().toCompletableFuture());
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** While true, every call is answered with a 500 InternalServiceFault. */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** The next {@code n} calls are answered with a 500. */
    public void failNext(int n) {
        failuresLeft.set(n);
    }

    /** Most query results per GetMetricData page; more are left to a NextToken. */
    public void pageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    /** A series GetMetricData answers with, one datapoint per value. */
    public void series(String namespace, String metricName, Map<String, String> dimensions, double... values) {
        series.add(new Series(namespace, metricName, Map.copyOf(dimensions), values));
    }

    /** Creating an alarm beyond this many is refused with LimitExceeded, as over the account's quota. */
    public void alarmQuota(int alarmQuota) {
        this.alarmQuota = alarmQuota;
    }

    public List<AlarmPut> alarmPuts() {
        return List.copyOf(alarmPuts);
    }

    /** The alarms kept, by name, as their last PutMetricAlarm set them (the tags of the first). */
    public Map<String, AlarmPut> alarms() {
        Map<String, AlarmPut> byName = new LinkedHashMap<>();
        alarms.forEach((name, alarm) -> byName.put(name, alarmPut(alarm, alarmTags.get(name))));
        return byName;
    }

    public List<DashboardPut> dashboardPuts() {
        return List.copyOf(dashboardPuts);
    }

    /** The dashboards kept: name to body, in name order. */
    public Map<String, String> dashboards() {
        return new LinkedHashMap<>(dashboards);
    }

    /** Puts a dashboard as the console would, without a PutDashboard call being recorded. */
    public void dashboard(String name, String body) {
        dashboards.put(name, body);
    }

    /** While set, PutDashboard takes each body but answers with this validation message, as for a widget it cannot draw. */
    public void dashboardWarning(String message) {
        this.dashboardWarning = message;
    }

    public List<PutCall> puts() {
        return List.copyOf(puts);
    }

    public List<Datum> datums() {
        return puts.stream().flatMap(p -> p.datums().stream()).toList();
    }

    public List<GetCall> gets() {
        return List.copyOf(gets);
    }

    /** Every HTTP request that arrived, failed ones included. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        await(vertx.close().toCompletionStage().toCompletableFuture());
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            requests.incrementAndGet();
            try {
                respond(request, body);
            } catch (Exception e) {
                error(request, 400, "SerializationException", "cannot read request: " + e);
            }
        });
    }

    private void respond(HttpServerRequest request, Buffer body) throws IOException {
        if (failing || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(request, 500, "InternalServiceFault", "fake CloudWatch told to fail");
            return;
        }
        String operation = request.path().startsWith(PATH_PREFIX) ? request.path().substring(PATH_PREFIX.length()) : "";
        byte[] bytes = body.getBytes();
        if ("gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"))) {
            // PutMetricData carries Smithy's requestCompression trait: the SDK gzips bodies over 10 KiB
            try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            }
        }
        JsonNode input = bytes.length == 0 ? CBOR.createObjectNode() : CBOR.readTree(bytes);
        switch (operation) {
            case "PutMetricData" -> {
                puts.add(new PutCall(input.path("Namespace").asText(null), datums(input.path("MetricData")),
                        request.getHeader("Content-Type"), request.getHeader("Authorization")));
                ok(request, null);
            }
            case "GetMetricData" -> ok(request, getMetricData(input));
            case "PutMetricAlarm" -> putMetricAlarm(request, (ObjectNode) input);
            case "DescribeAlarms" -> ok(request, describeAlarms(input));
            case "PutDashboard" -> putDashboard(request, input);
            case "GetDashboard" -> getDashboard(request, input);
            default -> error(request, 400, "InvalidAction", "fake CloudWatch does not do " + request.path());
        }
    }

    private static List<Datum> datums(JsonNode metricData) {
        List<Datum> datums = new ArrayList<>();
        for (JsonNode d : metricData) {
            JsonNode s = d.get("StatisticValues");
            datums.add(new Datum(d.path("MetricName").asText(null), dimensions(d.path("Dimensions")),
                    d.path("Unit").asText(null), instant(d.get("Timestamp")),
                    d.has("Value") ? d.get("Value").asDouble() : null,
                    s == null ? null : new Stats(s.path("SampleCount").asDouble(), s.path("Sum").asDouble(),
                            s.path("Minimum").asDouble(), s.path("Maximum").asDouble()),
                    doubles(d.get("Values")), doubles(d.get("Counts"))));
        }
        return datums;
    }

    private byte[] getMetricData(JsonNode input) throws IOException {
        List<MetricQuery> queries = new ArrayList<>();
        for (JsonNode q : input.path("MetricDataQueries")) {
            JsonNode stat = q.path("MetricStat");
            JsonNode metric = stat.path("Metric");
            queries.add(new MetricQuery(q.path("Id").asText(), metric.path("Namespace").asText(),
                    metric.path("MetricName").asText(), dimensions(metric.path("Dimensions")),
                    stat.path("Period").asInt(), stat.path("Stat").asText()));
        }
        Instant start = instant(input.get("StartTime"));
        String token = input.path("NextToken").asText(null);
        gets.add(new GetCall(start, instant(input.get("EndTime")), queries, token));
        int from = token == null ? 0 : Integer.parseInt(token);
        int to = Math.min(queries.size(), from + pageSize);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = (CBORGenerator) CBOR.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("MetricDataResults");
            g.writeStartArray();
            for (MetricQuery q : queries.subList(from, to)) {
                double[] values = series.stream()
                        .filter(s -> s.namespace.equals(q.namespace()) && s.metricName.equals(q.metricName())
                                && s.dimensions.equals(q.dimensions()))
                        .map(Series::values).findFirst().orElse(new double[0]);
                g.writeStartObject();
                g.writeStringField("Id", q.id());
                g.writeStringField("Label", q.metricName());
                g.writeStringField("StatusCode", "Complete");
                g.writeFieldName("Timestamps");
                g.writeStartArray();
                for (int i = 0; i < values.length; i++) {
                    g.writeTag(1); // Smithy RPC v2 CBOR timestamps: tag 1, epoch seconds
                    g.writeNumber((double) start.getEpochSecond() + (long) i * q.period());
                }
                g.writeEndArray();
                g.writeFieldName("Values");
                g.writeStartArray();
                for (double v : values) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (to < queries.size()) {
                g.writeStringField("NextToken", Integer.toString(to));
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private void putMetricAlarm(HttpServerRequest request, ObjectNode input) {
        Map<String, String> tags = new LinkedHashMap<>();
        input.path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        alarmPuts.add(alarmPut(input, tags));
        String name = input.path("AlarmName").asText();
        if (!alarms.containsKey(name) && alarms.size() >= alarmQuota) {
            error(request, 400, "LimitExceeded", "The maximum number of alarms for this account has been reached");
            return;
        }
        // as CloudWatch does, tags count only when the alarm is created
        alarmTags.putIfAbsent(name, Map.copyOf(tags));
        ObjectNode alarm = input.deepCopy();
        alarm.remove("Tags");
        alarm.put("AlarmArn", "arn:aws:cloudwatch:us-east-1:111122223333:alarm:" + name);
        alarm.put("StateValue", "INSUFFICIENT_DATA");
        alarms.put(name, alarm);
        ok(request, null);
    }

    /** Metric alarms by AlarmNames or AlarmNamePrefix, MaxRecords (at most the page size) a page. */
    private byte[] describeAlarms(JsonNode input) throws IOException {
        List<String> names = new ArrayList<>();
        input.path("AlarmNames").forEach(n -> names.add(n.asText()));
        String prefix = input.path("AlarmNamePrefix").asText("");
        List<ObjectNode> matching = alarms.entrySet().stream()
                .filter(e -> names.isEmpty() ? e.getKey().startsWith(prefix) : names.contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        int from = input.has("NextToken") ? Integer.parseInt(input.get("NextToken").asText()) : 0;
        int to = Math.min(matching.size(), from + Math.min(input.path("MaxRecords").asInt(50), pageSize));
        ObjectNode out = CBOR.createObjectNode();
        out.putArray("MetricAlarms").addAll(matching.subList(from, to));
        if (to < matching.size()) {
            out.put("NextToken", Integer.toString(to));
        }
        return CBOR.writeValueAsBytes(out);
    }

    /**
     * Refuses what CloudWatch refuses: a name outside its rules, a body that is no JSON object with a
     * {@code widgets} array (DashboardInvalidInputError, with the validation messages).
     */
    private void putDashboard(HttpServerRequest request, JsonNode input) throws IOException {
        String name = input.path("DashboardName").asText(null);
        String body = input.path("DashboardBody").asText(null);
        dashboardPuts.add(new DashboardPut(name, body));
        if (name == null || !DASHBOARD_NAME.matcher(name).matches()) {
            error(request, 400, "InvalidParameterValueException", "InvalidParameterValue",
                    "The value " + name + " for parameter DashboardName is not valid.");
            return;
        }
        JsonNode parsed;
        try {
            parsed = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            parsed = null;
        }
        if (parsed == null || !parsed.path("widgets").isArray()) {
            ObjectNode out = CBOR.createObjectNode();
            out.put("__type", "com.amazonaws.cloudwatch#DashboardInvalidInputError");
            out.put("message", "The dashboard body is invalid, there are 1 validation errors");
            out.putArray("dashboardValidationMessages").addObject().put("DataPath", "/").put("Message", "Should be an object with widgets");
            respondError(request, 400, "InvalidParameterInput", CBOR.writeValueAsBytes(out));
            return;
        }
        dashboards.put(name, body);
        ObjectNode out = CBOR.createObjectNode();
        ArrayNode messages = out.putArray("DashboardValidationMessages");
        if (dashboardWarning != null) {
            messages.addObject().put("DataPath", "/widgets/0").put("Message", dashboardWarning);
        }
        ok(request, CBOR.writeValueAsBytes(out));
    }

    private void getDashboard(HttpServerRequest request, JsonNode input) throws IOException {
        String name = input.path("DashboardName").asText("");
        String body = dashboards.get(name);
        if (body == null) {
            error(request, 404, "DashboardNotFoundError", "ResourceNotFound", "Dashboard " + name + " does not exist");
            return;
        }
        ObjectNode out = CBOR.createObjectNode();
        out.put("DashboardArn", "arn:aws:cloudwatch::111122223333:dashboard/" + name);
        out.put("DashboardBody", body);
        out.put("DashboardName", name);
        ok(request, CBOR.writeValueAsBytes(out));
    }

    private static AlarmPut alarmPut(JsonNode a, Map<String, String> tags) {
        List<AlarmQuery> metrics = new ArrayList<>();
        a.path("Metrics").forEach(q -> metrics.add(new AlarmQuery(q.path("Id").asText(null), q.path("Expression").asText(null),
                q.has("Period") ? q.get("Period").asInt() : null, q.has("ReturnData") ? q.get("ReturnData").asBoolean() : null)));
        List<String> actions = new ArrayList<>();
        a.path("AlarmActions").forEach(x -> actions.add(x.asText()));
        return new AlarmPut(a.path("AlarmName").asText(null), a.path("AlarmDescription").asText(null), metrics,
                a.has("Threshold") ? a.get("Threshold").asDouble() : null, a.path("ComparisonOperator").asText(null),
                a.has("EvaluationPeriods") ? a.get("EvaluationPeriods").asInt() : null,
                a.has("DatapointsToAlarm") ? a.get("DatapointsToAlarm").asInt() : null,
                a.path("TreatMissingData").asText(null), actions, tags,
                a.path("Namespace").asText(null), a.path("MetricName").asText(null));
    }

    private static void ok(HttpServerRequest request, byte[] body) {
        var response = request.response().setStatusCode(200).putHeader("smithy-protocol", "rpc-v2-cbor");
        if (body == null) {
            response.end();
        } else {
            response.putHeader("Content-Type", "application/cbor").end(Buffer.buffer(body));
        }
    }

    private static void error(HttpServerRequest request, int status, String type, String message) {
        error(request, status, type, type, message);
    }

    /**
     * @param shape     the error's shape in the service model: SDKs pick the exception class by it
     * @param queryCode its code in the older query protocol, which SDKs report as the error code
     */
    private static void error(HttpServerRequest request, int status, String shape, String queryCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", "com.amazonaws.cloudwatch#" + shape);
        body.put("Message", message);
        try {
            respondError(request, status, queryCode, CBOR.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void respondError(HttpServerRequest request, int status, String queryCode, byte[] body) {
        request.response().setStatusCode(status)
                .putHeader("smithy-protocol", "rpc-v2-cbor")
                .putHeader("Content-Type", "application/cbor")
                // CloudWatch is "awsQueryCompatible": SDKs take the error code from this header
                .putHeader("x-amzn-query-error", queryCode + ";" + (status >= 500 ? "Receiver" : "Sender"))
                .end(Buffer.buffer(body));
    }

    private static Map<String, String> dimensions(JsonNode dimensions) {
        Map<String, String> map = new LinkedHashMap<>();
        for (JsonNode d : dimensions) {
            map.put(d.path("Name").asText(), d.path("Value").asText());
        }
        return map;
    }

    private static Instant instant(JsonNode epochSeconds) {
        if (epochSeconds == null || !epochSeconds.isNumber()) {
            return null;
        }
        double seconds = epochSeconds.asDouble();
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }

    private static List<Double> doubles(JsonNode array) {
        if (array == null) {
            return null;
        }
        List<Double> list = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            list.add(it.next().asDouble());
        }
        return list;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
