package dev.bedrocktenant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bedrocktenant.metering.cloudwatch.CloudWatchClients;
import dev.bedrocktenant.metering.cloudwatch.ExportedSeries;
import dev.bedrocktenant.metering.cloudwatch.FakeCloudWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.DashboardInvalidInputErrorException;
import software.amazon.awssdk.services.cloudwatch.model.DashboardNotFoundErrorException;

/** The dashboards command end to end, the real SDK client against {@link FakeCloudWatch}. */
class DashboardsCommandTest {

    private static final String TENANTS = """
            tenants:
              acme:
                tags: { TenantID: acme }
                accessKeys:
                  - { id: AKIAACMEEXAMPLE00002, secretEnv: DASHBOARDS_TEST_SECRET_NOT_SET }
              globex: {}
            """;
    private static final List<String> NAMES = List.of("btp-fleet", "btp-tenant-acme", "btp-tenant-globex");
    /** A Metrics Insights query as the dashboards write them; group 1 function, 2 metric, 3 namespace, 4-5 SCHEMA's dimensions. */
    private static final Pattern QUERY = Pattern.compile("SELECT (SUM|AVG|MAX)\\((\\w+)\\) FROM SCHEMA\\(\"([^\"]+)\", (\\w+), (\\w+)\\)"
            + "(?: WHERE (\\w+) = '([^']+)')?(?: GROUP BY (\\w+))?(?: ORDER BY (SUM|AVG|MAX)\\(\\) DESC LIMIT (\\d+))?");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final FakeCloudWatch fake = new FakeCloudWatch();
    private final CommandRunner runner = new CommandRunner(() -> StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDDASHBOARDSTEST01", "dashboards-test-secret")));
    private Path tenants;

    @BeforeEach
    void files() throws IOException {
        tenants = dir.resolve("tenants.yaml");
        Files.writeString(tenants, TENANTS);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** With the fake's endpoint and the tenants file given as options. */
    private int dashboards(String... args) {
        return runWith(Map.of(), Stream.concat(Stream.of("dashboards", "--tenants", tenants.toString(), "--endpoint",
                fake.endpoint().toString()), Stream.of(args)).toArray(String[]::new));
    }

    /** @param settings the proxy's configuration as the command sees it */
    private int runWith(Map<String, String> settings, String... args) {
        return runner.run(settings, args);
    }

    private String output() {
        return runner.out();
    }

    private String row(String dashboard) {
        return output().lines().filter(l -> l.contains(" " + dashboard + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + dashboard + " in\n" + output()));
    }

    private JsonNode body(String name) throws IOException {
        String body = fake.dashboards().get(name);
        assertTrue(body != null, "no dashboard " + name + " in " + fake.dashboards().keySet());
        return JSON.readTree(body);
    }

    private static List<String> titles(JsonNode body) {
        List<String> titles = new ArrayList<>();
        body.path("widgets").forEach(w -> titles.add(w.path("properties").path("title").asText(w.path("type").asText())));
        return titles;
    }

    private static List<String> expressions(JsonNode body) {
        List<String> expressions = new ArrayList<>();
        body.path("widgets").forEach(w -> w.path("properties").path("metrics")
                .forEach(m -> m.forEach(e -> expressions.add(e.path("expression").asText()))));
        return expressions;
    }

    @Test
    void aDryRunShowsThePlanAndPutsNothing() {
        assertEquals(0, dashboards("--dry-run"), runner.err());
        System.out.println(output());
        assertTrue(row("btp-tenant-acme").matches("acme +btp-tenant-acme +planned +-"), output());
        assertTrue(row("btp-tenant-globex").contains(" planned "), output());
        assertTrue(row("btp-fleet").startsWith("(all) "), output());
        assertTrue(output().contains("dry run: nothing changed; 3 dashboard(s) would be created, 0 updated"), output());
        assertEquals(List.of(), fake.dashboardPuts());
        assertEquals(Map.of(), fake.dashboards());
    }

    @Test
    void aRealRunPutsOneDashboardPerTenantAndTheFleetAndASecondRunPutsNothing() throws IOException {
        assertEquals(0, dashboards(), runner.err());
        System.out.println(output());
        assertEquals(NAMES, List.copyOf(fake.dashboards().keySet()));
        assertEquals(3, fake.dashboardPuts().size());
        assertTrue(output().contains("3 dashboard(s) created, 0 updated, 0 already as wanted"), output());

        JsonNode acme = body("btp-tenant-acme");
        assertEquals(List.of("text",
                "Estimated cost (USD) in the time range", "Requests in the time range", "Input tokens in the time range",
                "Output tokens in the time range",
                "Estimated cost (USD) by model", "Requests by model",
                "Input tokens by model", "Output tokens by model", "Cache read tokens by model", "Cache write tokens by model",
                "Latency (ms), average by model", "Latency (ms), maximum by model", "Throttles by model",
                "Client errors (refusals included) by model", "Server errors by model"), titles(acme));
        assertTrue(acme.path("widgets").get(0).path("properties").path("markdown").asText().contains("`acme`"));
        for (JsonNode widget : acme.path("widgets")) {
            assertTrue(widget.path("x").asInt() + widget.path("width").asInt() <= 24, widget.toString());
            if (widget.path("type").asText().equals("metric")) {
                assertEquals("us-east-1", widget.path("properties").path("region").asText(), widget.toString());
                assertEquals(1, widget.path("properties").path("metrics").size(), "one Metrics Insights query per widget");
            }
        }
        assertEquals("SELECT SUM(EstimatedCostUSD) FROM SCHEMA(\"BedrockTenants\", TenantId, ModelId) WHERE TenantId = 'acme'"
                + " GROUP BY ModelId", expressions(acme).get(4));
        assertEquals("SELECT AVG(InvocationLatency) FROM SCHEMA(\"BedrockTenants\", TenantId, ModelId) WHERE TenantId = 'acme'"
                + " GROUP BY ModelId", expressions(acme).get(10));
        assertTrue(expressions(acme).stream().allMatch(e -> e.contains(" WHERE TenantId = 'acme'")), expressions(acme).toString());
        JsonNode cost = acme.path("widgets").get(1).path("properties");
        assertEquals("singleValue", cost.path("view").asText());
        assertTrue(cost.path("setPeriodToTimeRange").asBoolean(), "one number for the whole time range");
        assertEquals("Estimated cost (USD) in the time range", cost.path("metrics").get(0).get(0).path("label").asText());
        JsonNode byModel = acme.path("widgets").get(5).path("properties");
        assertEquals("timeSeries", byModel.path("view").asText());
        assertEquals(300, byModel.path("period").asInt());
        assertTrue(byModel.path("metrics").get(0).get(0).path("label").isMissingNode(), "series named by their model");
        assertTrue(expressions(body("btp-tenant-globex")).stream().allMatch(e -> e.contains(" WHERE TenantId = 'globex'")));

        JsonNode fleet = body("btp-fleet");
        assertEquals("SELECT SUM(EstimatedCostUSD) FROM SCHEMA(\"BedrockTenants\", TenantId, ModelId) GROUP BY TenantId"
                + " ORDER BY SUM() DESC LIMIT 10", expressions(fleet).get(0));
        assertEquals("bar", fleet.path("widgets").get(1).path("properties").path("view").asText());

        fake.pageSize(1);
        assertEquals(0, dashboards(), runner.err());
        System.out.println(output());
        assertEquals(3, fake.dashboardPuts().size(), "nothing put again");
        assertEquals(3, output().lines().filter(l -> l.contains(" existing ")).count(), output());
        assertTrue(output().contains("0 dashboard(s) created, 0 updated, 3 already as wanted"), output());
    }

    @Test
    void aDashboardChangedInTheConsoleIsPutBackAndOnlyThatOne() throws IOException {
        assertEquals(0, dashboards(), runner.err());
        String wanted = fake.dashboards().get("btp-tenant-globex");
        ObjectNode edited = (ObjectNode) JSON.readTree(wanted);
        ((ArrayNode) edited.get("widgets")).remove(3);
        fake.dashboard("btp-tenant-globex", edited.toString());
        // the same body re-spaced and with its members in another order is the same dashboard
        ObjectNode reordered = JSON.createObjectNode();
        reordered.set("widgets", JSON.readTree(fake.dashboards().get("btp-tenant-acme")).get("widgets"));
        reordered.put("start", "-PT24H");
        fake.dashboard("btp-tenant-acme", reordered.toPrettyString());
        fake.dashboard("btp-fleet", "{\"widgets\": [");

        assertEquals(0, dashboards("--dry-run"), runner.err());
        assertTrue(row("btp-tenant-globex").contains(" outdated "), output());
        assertTrue(row("btp-tenant-acme").contains(" existing "), output());
        assertTrue(row("btp-fleet").contains(" outdated "), "a body that is not JSON is not ours: " + output());
        assertTrue(output().contains("dry run: nothing changed; 0 dashboard(s) would be created, 2 updated"), output());
        assertEquals(3, fake.dashboardPuts().size());

        assertEquals(0, dashboards(), runner.err());
        System.out.println(output());
        assertEquals(5, fake.dashboardPuts().size());
        assertEquals(List.of("btp-tenant-globex", "btp-fleet"),
                fake.dashboardPuts().subList(3, 5).stream().map(FakeCloudWatch.DashboardPut::name).toList());
        assertEquals(wanted, fake.dashboards().get("btp-tenant-globex"));
        assertTrue(output().contains("0 dashboard(s) created, 2 updated, 1 already as wanted"), output());
    }

    /** Cross-checked against the exporter itself, not against the names this command was written with. */
    @Test
    void everyQueryReadsOnlyMetricsAndDimensionsTheExporterSends() throws Exception {
        ExportedSeries exported = ExportedSeries.of("BedrockTenants");
        assertEquals(10, exported.dimensions().size(), "usage of every kind was exported: " + exported);
        assertEquals(0, dashboards(), runner.err());

        Set<String> read = new TreeSet<>();
        for (String name : NAMES) {
            for (String expression : expressions(body(name))) {
                Matcher m = QUERY.matcher(expression);
                assertTrue(m.matches(), name + ": not a query as expected: " + expression);
                String metric = m.group(2);
                assertTrue(exported.dimensions().containsKey(metric), name + ": " + metric + " is not exported");
                assertEquals(exported.namespaces(), Set.of(m.group(3)), name + ": " + expression);
                // SCHEMA with exactly the exported dimensions matches the exported series and nothing else
                assertEquals(exported.dimensions().get(metric), Set.of(m.group(4), m.group(5)), expression);
                for (int g : new int[] {6, 8}) {
                    if (m.group(g) != null) {
                        assertTrue(exported.dimensions().get(metric).contains(m.group(g)), expression);
                    }
                }
                if (m.group(9) != null) {
                    assertEquals(m.group(1), m.group(9), "ordered by the figure shown: " + expression);
                }
                if (name.startsWith("btp-tenant-")) {
                    read.add(metric);
                }
            }
        }
        assertEquals(exported.dimensions().keySet(), read, "a tenant's dashboard shows every metric exported");
    }

    @Test
    void aTenantIdCloudWatchDoesNotTakeInANameGetsAValidDistinctNameAndTheTableSaysWhy() throws IOException {
        Files.writeString(tenants, """
                tenants:
                  team.blue: {}
                  team_blue: {}
                """);
        assertEquals(0, dashboards(), runner.err());
        System.out.println(output());
        List<String> names = List.copyOf(fake.dashboards().keySet());
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.contains("btp-tenant-team_blue"), names.toString());
        String dotted = names.stream().filter(n -> n.startsWith("btp-tenant-team_blue-")).findFirst().orElseThrow();
        assertTrue(dotted.matches("btp-tenant-team_blue-[0-9a-f]{8}"), dotted);
        assertTrue(row(dotted).startsWith("team.blue "), output());
        assertTrue(row(dotted).contains("name changed from btp-tenant-team.blue: only A-Z a-z 0-9 - _ are allowed"), output());
        assertTrue(row("btp-tenant-team_blue").endsWith(" -"), output());
        // the query keeps the tenant id as the exporter sends it
        assertTrue(expressions(body(dotted)).stream().allMatch(e -> e.contains(" WHERE TenantId = 'team.blue'")));
    }

    @Test
    void aNameLongerThanCloudWatchTakesIsCutAndStaysDistinct() {
        String prefix = "p".repeat(200);
        DashboardName a = DashboardName.of(prefix + "-tenant-" + "a".repeat(60));
        DashboardName b = DashboardName.of(prefix + "-tenant-" + "a".repeat(59) + "b");
        assertEquals(DashboardName.MAX_LENGTH, a.value().length());
        assertNotEquals(a.value(), b.value());
        assertTrue(a.change().orElseThrow().endsWith("longer than 255 characters"), a.change().toString());
        assertEquals(Optional.empty(), DashboardName.of("btp-tenant-acme").change());
    }

    @Test
    void bodiesStayWithinCloudWatchsQuotasAndOneOverThemIsRefusedBeforeAnyCall() {
        DashboardBodies bodies = new DashboardBodies("BedrockTenants", "us-east-1");
        String longest = "t".repeat(128);
        assertEquals(Optional.empty(), DashboardBodies.overLimits(bodies.tenant(longest)));
        assertTrue(DashboardBodies.text(bodies.tenant(longest)).length() < DashboardBodies.MAX_BODY_BYTES / 100);
        assertEquals(Optional.empty(), DashboardBodies.overLimits(bodies.fleet()));

        ObjectNode tooMany = JSON.createObjectNode();
        ArrayNode widgets = tooMany.putArray("widgets");
        for (int i = 0; i <= DashboardBodies.MAX_WIDGETS; i++) {
            widgets.add(bodies.fleet().get("widgets").get(1));
        }
        assertEquals(Optional.of("501 widgets, CloudWatch allows 500"), DashboardBodies.overLimits(tooMany));
        ObjectNode tooBig = JSON.createObjectNode().put("padding", "x".repeat(DashboardBodies.MAX_BODY_BYTES));
        tooBig.putArray("widgets");
        assertTrue(DashboardBodies.overLimits(tooBig).orElseThrow().startsWith("body of 1000"), DashboardBodies.overLimits(tooBig).toString());
    }

    @Test
    void optionsDefaultToTheProxysSettings() throws IOException {
        Map<String, String> settings = Map.of("proxy.tenants-file", tenants.toString(),
                "proxy.cloudwatch.endpoint", fake.endpoint().toString(), "proxy.region", "eu-west-1",
                "proxy.cloudwatch.namespace", "Acme/LLM", "proxy.profiles.name-prefix", "llm");
        assertEquals(0, runWith(settings, "dashboards"), runner.err());
        assertEquals(List.of("llm-fleet", "llm-tenant-acme", "llm-tenant-globex"), List.copyOf(fake.dashboards().keySet()));
        JsonNode globex = body("llm-tenant-globex");
        assertTrue(expressions(globex).stream().allMatch(e -> e.contains("FROM SCHEMA(\"Acme/LLM\", TenantId, ModelId)")));
        assertEquals("eu-west-1", globex.path("widgets").get(1).path("properties").path("region").asText());
    }

    @Test
    void aCloudWatchFailureIsNamedPerDashboardAndExitsOne() {
        fake.failing(true);
        assertEquals(1, dashboards());
        System.out.println(output());
        assertEquals(3, output().lines().filter(l -> l.contains(" failed ") && l.contains("InternalServiceFault")).count(), output());
        assertEquals(List.of(), fake.dashboardPuts());

        fake.failing(false);
        fake.dashboardWarning("The widget cannot be drawn");
        assertEquals(1, dashboards(), "taken with a warning: put, yet a body to fix");
        assertTrue(row("btp-tenant-acme").matches(".* created +CloudWatch warns: /widgets/0: The widget cannot be drawn"), output());
        assertTrue(output().contains("3 dashboard(s) created, 0 updated, 0 already as wanted; 3 with warnings from CloudWatch"), output());
        assertEquals(3, fake.dashboards().size());

        fake.stop();
        assertEquals(1, dashboards());
        assertEquals(3, output().lines().filter(l -> l.contains(" failed ")).count(), output());
    }

    /** The fake refuses as CloudWatch does, and the SDK reads its refusals as CloudWatch's. */
    @Test
    void theFakeRefusesAnInvalidBodyOrNameAsCloudWatchDoes() {
        try (CloudWatchAsyncClient client = CloudWatchClients.forReading("us-east-1", Optional.of(fake.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDDASHBOARDSTEST01", "dashboards-test-secret")))) {
            CompletionException invalid = assertThrows(CompletionException.class,
                    () -> client.putDashboard(r -> r.dashboardName("btp-x").dashboardBody("[]")).join());
            DashboardInvalidInputErrorException e = assertInstanceOf(DashboardInvalidInputErrorException.class, invalid.getCause());
            assertEquals("InvalidParameterInput", e.awsErrorDetails().errorCode());
            assertEquals(List.of("/"), e.dashboardValidationMessages().stream().map(m -> m.dataPath()).toList());
            CompletionException badName = assertThrows(CompletionException.class,
                    () -> client.putDashboard(r -> r.dashboardName("btp.x").dashboardBody("{\"widgets\":[]}")).join());
            assertEquals("InvalidParameterValue", FailureReason.of(badName).split(":")[0]);
            CompletionException missing = assertThrows(CompletionException.class,
                    () -> client.getDashboard(r -> r.dashboardName("btp-none")).join());
            assertInstanceOf(DashboardNotFoundErrorException.class, missing.getCause());
            assertEquals("ResourceNotFound", ((DashboardNotFoundErrorException) missing.getCause()).awsErrorDetails().errorCode());
        }
        assertEquals(Map.of(), fake.dashboards());
    }

    @Test
    void anUnreadableTenantsFileOrAWrongCommandLineCallsNothing() throws IOException {
        Files.writeString(tenants, "tenants: [ nope");
        assertEquals(1, dashboards());
        assertTrue(runner.err().startsWith("error: "), runner.err());
        assertEquals(2, dashboards("--frobnicate"));
        assertTrue(runner.err().contains("usage: dashboards"), runner.err());
        assertEquals(0, fake.requests());
    }

    @Test
    void helpListsTheOptionsAndCallsNothing() {
        assertTrue(Commands.handles("dashboards"));
        assertEquals(0, runWith(Map.of(), "dashboards", "--help"), runner.err());
        assertTrue(output().startsWith("usage: dashboards "), output());
        List<String> missing = new ArrayList<>();
        for (String option : List.of("--tenants=FILE", "--namespace=NAMESPACE", "--region=REGION", "--endpoint=URL",
                "--name-prefix=PREFIX", "--dry-run")) {
            if (!output().contains(option)) {
                missing.add(option);
            }
        }
        assertEquals(List.of(), missing, output());
        assertEquals(0, fake.requests());
    }
}
