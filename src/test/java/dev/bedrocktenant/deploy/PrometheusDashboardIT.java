package dev.bedrocktenant.deploy;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.BedrockClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * The operators' kit against the real thing: the packaged proxy (its built-in simulator as Bedrock) serves SDK
 * traffic for two tenants while a real Prometheus server (Debian's package) scrapes it every second with the
 * shipped scrape job and rules. Then every query of the Grafana dashboard runs against that Prometheus, as
 * Grafana would send it with the tenant variable set to both tenants, and the cost panel must show what the
 * proxy's own usage ledger says each tenant cost. Grafana itself is not run (it cannot be installed here).
 *
 * <p>Saves the cost panel's data over the run to target/prometheus-cost.json, from which
 * docs/figures/render-cost-panel.py draws docs/figures/cost-panel.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusDashboardIT {

    private static final Path WORK = Path.of("target/prometheus-it");
    static final Path COST_JSON = Path.of("target/prometheus-cost.json");
    private static final String UNPRICED_MODEL = "example.unpriced-model-v1:0";
    /** acme's daily budget: its traffic below spends about twice that, so it ends red (alert-only, never refused). */
    private static final String ACME_DAILY_BUDGET = "0.06";
    private static final Duration TRAFFIC = Duration.ofSeconds(30);
    /** The dashboard's cost panel: what each tenant's sidecars metered since they started, exactly. */
    private static final String COST_PANEL = "Cost since start (USD)";

    private final HttpClient http = HttpClient.newHttpClient();
    private Process proxy;
    private Process prometheus;
    private URI proxyUri;
    private URI prometheusUri;
    private Instant proxyStarted;
    /** Each tenant's cost at Prometheus' first sample of it, before the traffic: where increase() starts. */
    private Map<String, Double> firstScraped;

    @BeforeAll
    void runTrafficUnderARealPrometheus() throws Exception {
        DeployFiles.assumeInstalled("prometheus");
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        int proxyPort = freePort();
        int simulatorPort = freePort();
        proxyUri = URI.create("http://127.0.0.1:" + proxyPort);
        proxy = startProxy(proxyPort, simulatorPort);
        proxyStarted = Instant.now();
        int prometheusPort = freePort();
        prometheusUri = URI.create("http://127.0.0.1:" + prometheusPort);
        prometheus = startPrometheus(prometheusPort, proxyPort);

        runTraffic();

        // Wait until Prometheus holds the final counters (a scrape after the last request) and every recording
        // rule has been evaluated on data, so the tests below read a settled picture.
        await(Duration.ofSeconds(60), "Prometheus to scrape the final cost", () -> {
            Map<String, Double> shown = costPanel();
            return ledgerCost("acme").doubleValue() == shown.getOrDefault("acme", -1.0)
                    && ledgerCost("globex").doubleValue() == shown.getOrDefault("globex", -1.0);
        });
        await(Duration.ofSeconds(90), "every recording rule to have data",
                () -> DeployFiles.recordNames().stream().allMatch(r -> query(r).size() > 0));
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (Process p : new Process[] {prometheus, proxy}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void theCostPanelShowsWhatTheLedgerSaysEachTenantCost() throws IOException {
        Map<String, Double> shown = costPanel();
        for (String tenant : List.of("acme", "globex")) {
            BigDecimal ledger = ledgerCost(tenant);
            assertTrue(ledger.signum() > 0, tenant + " spent something");
            // the proxy sums in exact decimal and exports the sum as a double: equal once converted
            assertEquals(ledger.doubleValue(), shown.get(tenant), tenant + ": " + shown);
        }
        assertEquals(Set.of("acme", "globex"), shown.keySet());
        saveCostOverTheRun();
    }

    /**
     * "Cost today" and "Cost this month" read increase() over the panel's range. increase() counts from a
     * series' first sample, so what a counter already held when first scraped (here the warm-up call) is not in
     * it; from there it extrapolates by up to half a scrape interval at each end: within 5 % of the ledger's
     * figure after 30 s of 1 s scrapes. (In Grafana the range is today or this month; here the whole run.)
     */
    @Test
    void theTodayAndMonthPanelsAreCloseToTheLedger() throws IOException {
        for (String title : List.of("Cost today (UTC)", "Cost this month (UTC)")) {
            Map<String, Double> shown = byLabel(query(substitute(panelQuery(title))), "tenant");
            for (String tenant : List.of("acme", "globex")) {
                double sinceFirstScrape = ledgerCost(tenant).doubleValue() - firstScraped.get(tenant);
                assertTrue(sinceFirstScrape > 0, tenant + " spent during the traffic");
                assertEquals(sinceFirstScrape, shown.get(tenant), sinceFirstScrape * 0.05,
                        title + " " + tenant + ": " + shown + ", first scraped " + firstScraped);
            }
        }
    }

    @Test
    void everyPanelQueryRunsAndReadsOnlyMetricsPrometheusHas() {
        Set<String> existing = new HashSet<>();
        get("/api/v1/label/__name__/values").get("data").forEach(n -> existing.add(n.asText()));
        List<DeployFiles.PanelQuery> queries = DeployFiles.dashboardQueries();
        assertTrue(queries.size() >= 15, "the dashboard's queries: " + queries.size());
        for (DeployFiles.PanelQuery q : queries) {
            String expr = substitute(q.expr());
            for (String metric : DeployFiles.metricNames(expr)) {
                assertTrue(existing.contains(metric), q.panel() + ": " + metric + " is not in Prometheus");
            }
            // Grafana sends a panel's query over the time range, or at its end for instant ones (stats, bars)
            JsonNode result = q.instant() ? query(expr) : queryRange(expr, proxyStarted, Instant.now());
            assertTrue(result.size() > 0, q.panel() + " shows no data: " + expr);
        }
    }

    @Test
    void theDataQualityAndBudgetPanelsCountWhatHappened() throws IOException {
        Map<String, Double> unpriced = byLabel(query(substitute(panelQuery("Unpriced requests (since start)"))), "model");
        assertEquals(Map.of(UNPRICED_MODEL, 1.0), unpriced, "one call of a model without a price");
        Map<String, Double> unreadable = byLabel(query(substitute(panelQuery("Unreadable responses (since start)"))),
                "tenant");
        assertEquals(Map.of("globex", 1.0), unreadable, "one stream cut off after its first content");

        JsonNode budget = query(substitute(panelQuery("Budget used")));
        assertEquals(1, budget.size(), "only acme has a budget, only a daily one: " + budget);
        JsonNode limits = getJson(proxyUri.resolve("/admin/limits?tenant=acme")).get("tenants").get(0);
        assertEquals(limits.get("daily").get("usedRatio").asDouble(), value(budget.get(0)), 1e-12);
        assertTrue(value(budget.get(0)) >= 1, "acme spent past its daily budget");
        assertEquals(Map.of("acme", 3.0), byLabel(query(substitute(panelQuery("Alert level"))), "tenant"), "red");
    }

    @Test
    void theTenantVariableListsBothTenants() {
        JsonNode values = get("/api/v1/label/tenant/values?match[]=" + encode("bedrock_tenant_requests_total")).get("data");
        Set<String> tenants = new HashSet<>();
        values.forEach(v -> tenants.add(v.asText()));
        assertEquals(Set.of("acme", "globex"), tenants);
    }

    @Test
    void everyRuleIsLoadedAndHealthyAndOnlyTheBudgetAlertFires() throws Exception {
        List<JsonNode> rules = new ArrayList<>();
        get("/api/v1/rules").get("data").get("groups").forEach(g -> g.get("rules").forEach(rules::add));
        assertEquals(DeployFiles.rules().size(), rules.size(), "every shipped rule is loaded");
        for (JsonNode rule : rules) {
            assertEquals("ok", rule.get("health").asText(), rule.get("name") + ": " + rule.path("lastError"));
        }
        // acme is red from the moment its ratio passes 1; nothing else in this traffic is alarming
        await(Duration.ofSeconds(60), "BedrockTenantBudgetRed to fire", () -> firingAlerts().contains("BedrockTenantBudgetRed acme"));
        assertEquals(Set.of("BedrockTenantBudgetRed acme"), firingAlerts());
    }

    // --- the traffic -------------------------------------------------------------------------------------------

    /**
     * After a warm-up call each, two tenants for TRAFFIC: acme calls Converse about every 150 ms (2000 input, 400 output tokens: 0.001 USD
     * at Haiku's price), globex streams from a third of the way in (1000 input, 200 output); with a few calls
     * of each kind the data-quality and outcome panels count: a model without a price, a stream cut off after
     * its first content, throttling and a server error from Bedrock.
     */
    private void runTraffic() throws Exception {
        URL url = proxyUri.toURL();
        ExecutorService tenants = Executors.newFixedThreadPool(2);
        try (BedrockRuntimeClient acme = BedrockClients.sync(url, Caller.withHeaders(Map.of("X-Tenant-Id", "acme")),
                new BedrockClients.SentBody());
             BedrockRuntimeAsyncClient globex = BedrockClients.async(url,
                     Caller.withHeaders(Map.of("X-Tenant-Id", "globex")), new BedrockClients.SentBody())) {
            // One call each, then the traffic only once Prometheus holds these first values: its first scrape
            // comes seconds after it starts, and whatever a counter held by then is not in increase().
            acme.converse(BedrockCalls.converse(HAIKU, "[[sim:input-tokens=2000]] [[sim:output-tokens=400]]"));
            BedrockCalls.converseStream(globex, BedrockCalls.converseStream(HAIKU,
                    "[[sim:input-tokens=1000]] [[sim:output-tokens=200]] [[sim:events=4]]"));
            await(Duration.ofSeconds(60), "Prometheus to scrape the first calls", () -> {
                Map<String, Double> shown = costPanel();
                return ledgerCost("acme").doubleValue() == shown.getOrDefault("acme", -1.0)
                        && ledgerCost("globex").doubleValue() == shown.getOrDefault("globex", -1.0);
            });
            firstScraped = costPanel();
            long end = System.nanoTime() + TRAFFIC.toNanos();
            Future<?> acmeCalls = tenants.submit(() -> {
                acme.converse(BedrockCalls.converse(UNPRICED_MODEL, "[[sim:input-tokens=100]]"));
                assertThrows(InternalServerException.class,
                        () -> acme.converse(BedrockCalls.converse(HAIKU, "[[sim:error=InternalServerException]]")));
                for (int i = 0; System.nanoTime() < end; i++) {
                    acme.converse(BedrockCalls.converse(HAIKU, "[[sim:input-tokens=2000]] [[sim:output-tokens=400]]"
                            + " [[sim:delay-ms=" + (20 + i % 7 * 40) + "]]"));
                    pause(150);
                }
                return null;
            });
            Future<?> globexCalls = tenants.submit(() -> {
                pause(TRAFFIC.toMillis() / 3);
                ExecutionException cutOff = assertThrows(ExecutionException.class, () -> BedrockCalls.converseStream(globex,
                        BedrockCalls.converseStream(HAIKU, "[[sim:events=4]] [[sim:drop-after=2]]")));
                for (int i = 0; System.nanoTime() < end; i++) {
                    if (i % 25 == 0) {
                        ExecutionException throttled = assertThrows(ExecutionException.class, () -> BedrockCalls.converseStream(
                                globex, BedrockCalls.converseStream(HAIKU, "[[sim:error=ThrottlingException]]")));
                        assertTrue(throttled.getCause() instanceof ThrottlingException, throttled.toString());
                    }
                    BedrockCalls.converseStream(globex, BedrockCalls.converseStream(HAIKU,
                            "[[sim:input-tokens=1000]] [[sim:output-tokens=200]] [[sim:events=4]]"
                                    + " [[sim:delay-ms=" + (30 + i % 5 * 60) + "]] [[sim:pause-ms=20]]"));
                    pause(100);
                }
                return cutOff;
            });
            acmeCalls.get(TRAFFIC.toSeconds() + 60, TimeUnit.SECONDS);
            globexCalls.get(TRAFFIC.toSeconds() + 60, TimeUnit.SECONDS);
        } finally {
            tenants.shutdownNow();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- what the panels and the proxy say ---------------------------------------------------------------------

    private Map<String, Double> costPanel() {
        return byLabel(query(substitute(panelQuery(COST_PANEL))), "tenant");
    }

    /** A tenant's cost as the usage ledger has it, everything since the proxy started (GET /admin/usage). */
    private BigDecimal ledgerCost(String tenant) throws IOException {
        JsonNode usage = getJson(proxyUri.resolve("/admin/usage?tenant=" + tenant + "&from="
                + encode(proxyStarted.minusSeconds(60).toString()) + "&to=" + encode(Instant.now().plusSeconds(60).toString())));
        return new BigDecimal(usage.get("total").get("costUsd").asText());
    }

    private static String panelQuery(String title) {
        return DeployFiles.dashboardQueries().stream().filter(q -> q.panel().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no panel " + title)).expr();
    }

    /**
     * A panel's query as Grafana sends it with the tenant variable on both tenants (a multi-value variable
     * becomes a regex alternation); the range is the whole run. Any other variable fails the test, so a new one
     * in the dashboard must be added here.
     */
    private String substitute(String expr) {
        long range = Duration.between(proxyStarted, Instant.now()).toSeconds() + 60;
        String sent = expr.replace("${tenant}", "acme|globex").replace("$tenant", "acme|globex")
                .replace("$__range", range + "s").replace("$__rate_interval", "1m");
        assertFalse(sent.contains("$"), "a dashboard variable this test does not know: " + expr);
        return sent;
    }

    private Set<String> firingAlerts() {
        Set<String> firing = new HashSet<>();
        for (JsonNode alert : get("/api/v1/alerts").get("data").get("alerts")) {
            if (alert.get("state").asText().equals("firing")) {
                firing.add(alert.get("labels").get("alertname").asText() + " " + alert.get("labels").path("tenant").asText());
            }
        }
        return firing;
    }

    /** The cost panel over the run, per tenant, for docs/figures/render-cost-panel.py. */
    private void saveCostOverTheRun() throws IOException {
        Instant end = Instant.now();
        String expr = substitute(panelQuery(COST_PANEL));
        ObjectNode out = DeployFiles.JSON.createObjectNode();
        out.put("panel", COST_PANEL);
        out.put("query", expr);
        out.put("start", proxyStarted.getEpochSecond());
        out.put("end", end.getEpochSecond());
        out.put("acmeDailyBudgetUsd", new BigDecimal(ACME_DAILY_BUDGET));
        ObjectNode ledger = out.putObject("ledgerCostUsd");
        for (String tenant : List.of("acme", "globex")) {
            ledger.put(tenant, ledgerCost(tenant));
        }
        out.set("result", queryRange(expr, proxyStarted, end));
        DeployFiles.JSON.writerWithDefaultPrettyPrinter().writeValue(COST_JSON.toFile(), out);
    }

    // --- Prometheus' HTTP API ----------------------------------------------------------------------------------

    private JsonNode query(String expr) {
        return api("/api/v1/query?query=" + encode(expr), expr).get("result");
    }

    private JsonNode queryRange(String expr, Instant from, Instant to) {
        return api("/api/v1/query_range?query=" + encode(expr) + "&start=" + from.getEpochSecond() + "&end="
                + to.getEpochSecond() + "&step=1", expr).get("result");
    }

    private JsonNode api(String pathAndQuery, String expr) {
        JsonNode answer = get(pathAndQuery);
        assertEquals("success", answer.get("status").asText(), expr + ": " + answer);
        return answer.get("data");
    }

    private JsonNode get(String pathAndQuery) {
        try {
            return getJson(prometheusUri.resolve(pathAndQuery));
        } catch (IOException e) {
            throw new AssertionError(pathAndQuery, e);
        }
    }

    private JsonNode getJson(URI uri) throws IOException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return DeployFiles.JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** An instant vector as label value → sample value. */
    private static Map<String, Double> byLabel(JsonNode vector, String label) {
        Map<String, Double> values = new TreeMap<>();
        vector.forEach(s -> values.put(s.get("metric").path(label).asText(), value(s)));
        return values;
    }

    private static double value(JsonNode sample) {
        return Double.parseDouble(sample.get("value").get(1).asText());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // --- the two processes -------------------------------------------------------------------------------------

    private Process startProxy(int port, int simulatorPort) throws Exception {
        Path tenants = WORK.resolve("tenants.yaml");
        Files.writeString(tenants, """
                # acme: a daily budget (alert-only, so its traffic runs on past red); globex: no budget
                tenants:
                  acme:
                    profiles:
                      "%1$s": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01"
                      "%2$s": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0unpriced"
                    budget: { dailyUsd: %3$s }
                    enforce: false
                  globex:
                    profiles:
                      "%1$s": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/globex0haiku1"
                """.formatted(HAIKU, UNPRICED_MODEL, ACME_DAILY_BUDGET));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx256m",
                "-Dquarkus.profile=demo",
                "-Dquarkus.http.port=" + port,
                "-Dproxy.simulator.port=" + simulatorPort,
                "-Dproxy.upstream-url=http://127.0.0.1:" + simulatorPort,
                "-Dproxy.control-plane-url=http://127.0.0.1:" + simulatorPort,
                "-Dproxy.tenants-file=" + tenants.toAbsolutePath(),
                "-Dproxy.ledger.dir=" + WORK.resolve("ledger").toAbsolutePath(),
                "-Dquarkus.log.level=WARN",
                "-jar", "target/quarkus-app/quarkus-run.jar");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("proxy.log").toFile()).start();
        awaitPort(process, port, "the proxy; see " + WORK.resolve("proxy.log"));
        return process;
    }

    /** The shipped prometheus.yml, its job and rules as they are, pointed at this proxy and scraping every second. */
    private Process startPrometheus(int port, int proxyPort) throws Exception {
        ObjectNode config = (ObjectNode) DeployFiles.read(DeployFiles.PROMETHEUS.resolve("prometheus.yml"), DeployFiles.YAML);
        ObjectNode global = (ObjectNode) config.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        ArrayNode ruleFiles = config.putArray("rule_files");
        DeployFiles.RULE_FILES.forEach(f -> ruleFiles.add(f.toAbsolutePath().toString()));
        assertEquals(1, config.get("scrape_configs").size(), "one static job in prometheus.yml");
        ObjectNode job = (ObjectNode) config.get("scrape_configs").get(0);
        ((ObjectNode) job.get("static_configs").get(0)).putArray("targets").add("127.0.0.1:" + proxyPort);
        Path file = WORK.resolve("prometheus.yml");
        DeployFiles.YAML.writeValue(file.toFile(), config);

        Process process = new ProcessBuilder("prometheus",
                "--config.file=" + file.toAbsolutePath(),
                "--storage.tsdb.path=" + WORK.resolve("tsdb").toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(WORK.resolve("prometheus.log").toFile()).start();
        awaitPort(process, port, "prometheus; see " + WORK.resolve("prometheus.log"));
        await(Duration.ofSeconds(60), "prometheus to be ready", () -> {
            try {
                return http.send(HttpRequest.newBuilder(prometheusUri.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(Process process, int port, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();   // a loaded 2-core CI machine
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("did not start: " + what);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Duration limit, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
