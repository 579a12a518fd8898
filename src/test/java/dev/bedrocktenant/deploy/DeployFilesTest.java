package dev.bedrocktenant.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import org.junit.jupiter.api.Test;

/**
 * The operators' kit as files, where no Docker, Grafana or Kubernetes runs: docker-compose.yml mounts what exists
 * and its services name each other as the Prometheus and Grafana configurations do; the dashboard reads only the
 * metrics the proxy exports (CONTRACT section 8) and the shipped recording rules, through its data source and
 * tenant variables; the Kubernetes scrape job keeps the sidecar's port. PrometheusDashboardIT runs the queries.
 */
class DeployFilesTest {

    private static final Path COMPOSE = DeployFiles.DEPLOY.resolve("docker-compose.yml");
    private static final Path DATASOURCE = DeployFiles.DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml");
    private static final Path DASHBOARDS = DeployFiles.DEPLOY.resolve("grafana/provisioning/dashboards/bedrock-tenant-proxy.yml");

    /** What the proxy exports (CONTRACT section 8); a histogram also as its _bucket, _sum and _count series. */
    private static final Set<String> EXPORTED = Set.of("bedrock_tenant_requests_total", "bedrock_tenant_tokens_total",
            "bedrock_tenant_cost_usd_total", "bedrock_tenant_request_duration_seconds",
            "bedrock_tenant_time_to_first_token_seconds", "bedrock_tenant_budget_used_ratio", "bedrock_tenant_alert_level",
            "bedrock_tenant_unpriced_requests_total", "bedrock_tenant_usage_unreadable_responses_total",
            "bedrock_tenant_state_store_up");

    // --- docker-compose.yml ------------------------------------------------------------------------------------

    @Test
    void composeMountsOnlyWhatExists() {
        JsonNode compose = compose();
        Set<String> namedVolumes = new HashSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(namedVolumes::add);
        int binds = 0;
        for (var service : iterable(compose.get("services").fields())) {
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(Files.exists(DeployFiles.DEPLOY.resolve(source)), service.getKey() + " mounts " + source);
                    binds++;
                } else {
                    assertTrue(namedVolumes.contains(source), service.getKey() + ": volume " + source + " is not declared");
                }
            }
        }
        assertTrue(binds >= 4, "bind mounts: " + binds);
    }

    @Test
    void composeBuildsTheProxyFromTheSources() {
        JsonNode build = service("proxy").get("build");
        Path context = DeployFiles.DEPLOY.resolve(build.get("context").asText()).normalize();
        assertTrue(Files.exists(context.resolve("pom.xml")), "build context " + context);
        Matcher copy = Pattern.compile("(?m)^COPY (?!--)(.+) \\S+$").matcher(build.get("dockerfile_inline").asText());
        int copied = 0;
        while (copy.find()) {
            for (String source : copy.group(1).trim().split("\\s+")) {
                assertTrue(Files.exists(context.resolve(source)), "COPY " + source + " from " + context.toAbsolutePath());
                copied++;
            }
        }
        assertTrue(copied >= 3, "COPY sources: " + copied);
    }

    @Test
    void composeServicesReachEachOtherWhereTheConfigurationsSay() throws IOException {
        JsonNode compose = compose();
        for (var service : iterable(compose.get("services").fields())) {
            for (JsonNode dependency : service.getValue().path("depends_on")) {
                assertTrue(compose.get("services").has(dependency.asText()), service.getKey() + " depends on " + dependency);
            }
        }
        // Prometheus: its configuration file is the shipped one, and its job scrapes the proxy's metrics port
        Path config = hostPath("prometheus", argument(service("prometheus"), "--config.file"));
        assertEquals(DeployFiles.PROMETHEUS.resolve("prometheus.yml").normalize(), config.normalize());
        JsonNode prometheus = DeployFiles.read(config, DeployFiles.YAML);
        for (JsonNode ruleFile : prometheus.get("rule_files")) {
            assertTrue(Files.exists(config.resolveSibling(ruleFile.asText())), "rule file " + ruleFile);
        }
        List<String> targets = new ArrayList<>();
        prometheus.get("scrape_configs").forEach(job -> job.path("static_configs")
                .forEach(c -> c.get("targets").forEach(t -> targets.add(t.asText()))));
        assertEquals(List.of("proxy:" + proxyMetricsPort()), targets);
        assertFalse(service("prometheus").path("command").toString().contains("--web.listen-address"),
                "Prometheus listens on its default 9090, as the Grafana data source says");

        // Grafana: the data source is that Prometheus, dashboards load from where the JSON is mounted
        JsonNode datasource = DeployFiles.read(DATASOURCE, DeployFiles.YAML).get("datasources").get(0);
        assertEquals("prometheus", datasource.get("type").asText());
        assertEquals(URI.create("http://prometheus:9090"), URI.create(datasource.get("url").asText()));
        JsonNode provider = DeployFiles.read(DASHBOARDS, DeployFiles.YAML).get("providers").get(0);
        assertEquals("file", provider.get("type").asText());
        Path dashboards = hostPath("grafana", provider.get("options").get("path").asText());
        assertTrue(Files.exists(dashboards.resolve(DeployFiles.DASHBOARD.getFileName())), "dashboards at " + dashboards);
        assertTrue(Files.exists(hostPath("grafana", "/etc/grafana/provisioning/datasources/prometheus.yml")));
        assertTrue(Files.exists(hostPath("grafana",
                service("grafana").get("environment").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText())));

        // The traffic generator: calls the proxy's port as tenants of the demo tenants file, on models they map
        String script = service("traffic").get("command").get(0).asText();
        Matcher url = Pattern.compile("http://([\\w-]+):(\\d+)/model/([^/]+)/").matcher(script);
        assertTrue(url.find(), script);
        assertEquals("proxy", url.group(1));
        assertEquals(proxyListenerPort(), Integer.parseInt(url.group(2)));
        JsonNode tenants = DeployFiles.read(hostPath("proxy", service("proxy").get("environment").get("PROXY_TENANTS_FILE")
                .asText()), DeployFiles.YAML).get("tenants");
        Set<String> callers = new LinkedHashSet<>();
        Matcher call = Pattern.compile("\\bcall (\\w+) ").matcher(script);
        while (call.find()) {
            callers.add(call.group(1));
        }
        assertEquals(Set.of("acme", "globex"), callers);
        for (String tenant : callers) {
            assertTrue(tenants.path(tenant).path("profiles").has(url.group(3)), tenant + " maps " + url.group(3));
        }
    }

    // --- the Grafana dashboard ---------------------------------------------------------------------------------

    @Test
    void theDashboardAsksForADataSourceAndTenants() {
        JsonNode dashboard = DeployFiles.read(DeployFiles.DASHBOARD, DeployFiles.JSON);
        JsonNode datasource = variable(dashboard, "datasource");
        assertEquals("datasource", datasource.get("type").asText());
        assertEquals("prometheus", datasource.get("query").asText());

        JsonNode tenant = variable(dashboard, "tenant");
        assertEquals("query", tenant.get("type").asText());
        assertTrue(tenant.get("multi").asBoolean(), "multi-select");
        assertEquals("${datasource}", tenant.get("datasource").get("uid").asText());
        Matcher labelValues = Pattern.compile("label_values\\((\\w+), *tenant\\)").matcher(tenant.get("definition").asText());
        assertTrue(labelValues.matches(), tenant.get("definition").asText());
        assertTrue(EXPORTED.contains(labelValues.group(1)), labelValues.group(1));
        assertEquals(tenant.get("definition").asText(), tenant.get("query").get("query").asText());

        for (JsonNode panel : panels(dashboard)) {
            if (!panel.get("type").asText().equals("row")) {
                assertEquals("${datasource}", panel.get("datasource").get("uid").asText(), panel.get("title").asText());
                panel.get("targets").forEach(t -> assertEquals("${datasource}", t.get("datasource").get("uid").asText()));
            }
        }
    }

    @Test
    void everyQueryReadsOnlyExportedMetricsOrRecordingRules() {
        Set<String> recorded = DeployFiles.recordNames();
        List<DeployFiles.PanelQuery> queries = DeployFiles.dashboardQueries();
        assertTrue(queries.size() >= 15, "queries: " + queries.size());
        Set<String> read = new HashSet<>();
        for (DeployFiles.PanelQuery q : queries) {
            Set<String> names = DeployFiles.metricNames(q.expr());
            assertFalse(names.isEmpty(), q.panel() + " reads no metric: " + q.expr());
            for (String name : names) {
                assertTrue(recorded.contains(name) || EXPORTED.contains(name.replaceFirst("_(bucket|sum|count)$", "")),
                        q.panel() + ": " + name + " is neither exported (CONTRACT section 8) nor a recording rule");
                read.add(name);
            }
        }
        // the dashboard shows what the recording rules are for
        assertTrue(read.containsAll(recorded), "unused recording rules: " + recorded);
    }

    @Test
    void perTenantPanelsFollowTheTenantVariableAndTheFleetRowShowsEveryone() {
        boolean fleet = false;
        int perTenant = 0;
        int fleetPanels = 0;
        for (JsonNode panel : panels(DeployFiles.read(DeployFiles.DASHBOARD, DeployFiles.JSON))) {
            if (panel.get("type").asText().equals("row")) {
                fleet = panel.get("title").asText().startsWith("Fleet");
                continue;
            }
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText();
                assertEquals(!fleet, expr.contains("tenant=~\"$tenant\""), panel.get("title") + ": " + expr);
            }
            if (fleet) {
                fleetPanels++;
            } else {
                perTenant++;
            }
        }
        assertTrue(perTenant >= 10 && fleetPanels >= 3, perTenant + " per-tenant, " + fleetPanels + " fleet panels");
    }

    @Test
    void theDashboardHasEveryPanelTheOperatorsAskedFor() {
        List<String> titles = new ArrayList<>();
        panels(DeployFiles.read(DeployFiles.DASHBOARD, DeployFiles.JSON)).forEach(p -> titles.add(p.get("title").asText()));
        for (String wanted : List.of("Cost today", "Cost this month", "Cost rate", "Tokens per minute by type",
                "Requests by outcome", "Request latency p50 / p95 / p99", "Time to first token p50 / p95 / p99",
                "Budget used", "Alert level", "Unpriced requests", "Unreadable responses", "Top 10 tenants by cost",
                "Cost by model", "Throttled requests by tenant")) {
            assertTrue(titles.stream().anyMatch(t -> t.startsWith(wanted)), wanted + " in " + titles);
        }
    }

    @Test
    void panelsHaveTheirOwnIdsAndPlaces() {
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : panels(DeployFiles.read(DeployFiles.DASHBOARD, DeployFiles.JSON))) {
            assertTrue(ids.add(panel.get("id").asInt()), "id " + panel.get("id"));
            JsonNode g = panel.get("gridPos");
            int[] box = {g.get("x").asInt(), g.get("y").asInt(), g.get("w").asInt(), g.get("h").asInt()};
            assertTrue(box[0] + box[2] <= 24, panel.get("title") + " is wider than the grid");
            for (int[] other : boxes) {
                boolean apart = box[0] + box[2] <= other[0] || other[0] + other[2] <= box[0]
                        || box[1] + box[3] <= other[1] || other[1] + other[3] <= box[1];
                assertTrue(apart, panel.get("title") + " overlaps another panel");
            }
            boxes.add(box);
        }
    }

    @Test
    void metricNamesLeaveOutLabelValuesFunctionsAndDurations() {
        assertEquals(Set.of("bedrock_tenant_cost_usd_total", "tenant:bedrock_tenant_cost_usd:rate5m"),
                DeployFiles.metricNames("sum by (tenant) (rate(bedrock_tenant_cost_usd_total{model=~\"a:b.c\"}[5m]))"
                        + " / on (tenant) tenant:bedrock_tenant_cost_usd:rate5m{tenant=~\"$tenant\"} > 0.5"));
    }

    // --- Kubernetes pod discovery ------------------------------------------------------------------------------

    /**
     * Debian's Prometheus lacks Kubernetes discovery, so prometheus-kubernetes.yml is checked here: its keep rule,
     * applied to the labels discovery gives each container port of deploy/kubernetes/sidecar.yaml, keeps exactly
     * the sidecar's port that its readiness probe (on the same interface as /metrics) uses.
     */
    @Test
    void theKubernetesJobKeepsTheSidecarsMetricsPortAndNothingElse() throws IOException {
        JsonNode job = DeployFiles.read(DeployFiles.PROMETHEUS.resolve("prometheus-kubernetes.yml"), DeployFiles.YAML)
                .get("scrape_configs").get(0);
        assertEquals("bedrock-tenant-proxy", job.get("job_name").asText(), "the alerts read up{job=\"bedrock-tenant-proxy\"}");
        JsonNode keep = null;
        for (JsonNode relabel : job.get("relabel_configs")) {
            if (relabel.path("action").asText("replace").equals("keep")) {
                keep = relabel;
            }
        }
        assertNotNull(keep, "a keep rule");
        Pattern regex = Pattern.compile("^(?:" + keep.get("regex").asText() + ")$");   // Prometheus anchors it

        List<String> kept = new ArrayList<>();
        int ports = 0;
        try (MappingIterator<JsonNode> docs = DeployFiles.YAML.readerFor(JsonNode.class)
                .readValues(Files.readString(DeployFiles.DEPLOY.resolve("kubernetes/sidecar.yaml")))) {
            for (JsonNode doc : iterable(docs)) {
                JsonNode pod = doc.path("spec").path("template");
                for (JsonNode container : pod.path("spec").path("containers")) {
                    for (JsonNode port : container.path("ports")) {
                        List<String> values = new ArrayList<>();
                        for (JsonNode label : keep.get("source_labels")) {
                            values.add(discovered(label.asText(), pod, container, port));
                        }
                        ports++;
                        if (regex.matcher(String.join(keep.path("separator").asText(";"), values)).matches()) {
                            kept.add(container.get("name").asText() + ":" + port.get("containerPort").asText());
                        }
                    }
                    if (container.get("name").asText().equals("bedrock-tenant-proxy")) {
                        JsonNode probe = container.get("readinessProbe").get("httpGet").get("port");
                        int probePort = probe.isInt() ? probe.asInt() : namedPort(container, probe.asText());
                        assertEquals(List.of("bedrock-tenant-proxy:" + probePort), kept);
                    }
                }
            }
        }
        assertTrue(ports >= 1 && !kept.isEmpty(), "container ports " + ports + ", kept " + kept);
    }

    private static String discovered(String label, JsonNode pod, JsonNode container, JsonNode port) {
        return switch (label) {
            case "__meta_kubernetes_pod_container_port_name" -> port.path("name").asText();
            case "__meta_kubernetes_pod_container_name" -> container.get("name").asText();
            case "__meta_kubernetes_pod_annotation_prometheus_io_scrape" ->
                    pod.path("metadata").path("annotations").path("prometheus.io/scrape").asText();
            default -> throw new AssertionError("a source label this test does not know: " + label);
        };
    }

    private static int namedPort(JsonNode container, String name) {
        for (JsonNode port : container.get("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.get("containerPort").asInt();
            }
        }
        throw new AssertionError("no port " + name);
    }

    // --- reading -----------------------------------------------------------------------------------------------

    private static JsonNode compose() {
        return DeployFiles.read(COMPOSE, DeployFiles.YAML);
    }

    private static JsonNode service(String name) {
        JsonNode service = compose().get("services").get(name);
        assertNotNull(service, "service " + name);
        return service;
    }

    /** Where in the repository a path inside a service's container comes from, by the service's bind mounts. */
    private static Path hostPath(String serviceName, String containerPath) {
        for (JsonNode volume : service(serviceName).path("volumes")) {
            String[] parts = volume.asText().split(":");
            String target = parts[1];
            if (containerPath.equals(target) || containerPath.startsWith(target + "/")) {
                Path source = DeployFiles.DEPLOY.resolve(parts[0]).normalize();
                String rest = containerPath.substring(target.length()).replaceFirst("^/", "");
                return rest.isEmpty() ? source : source.resolve(rest);
            }
        }
        throw new AssertionError(serviceName + " mounts nothing at " + containerPath);
    }

    private static String argument(JsonNode service, String flag) {
        for (JsonNode arg : service.get("command")) {
            if (arg.asText().startsWith(flag + "=")) {
                return arg.asText().substring(flag.length() + 1);
            }
        }
        throw new AssertionError("no " + flag + " in " + service.get("command"));
    }

    /** The proxy's port, from the service's environment, else application.properties. */
    private static int proxyListenerPort() throws IOException {
        return port("QUARKUS_HTTP_PORT", "quarkus.http.port", "8080");
    }

    /** Where /metrics is served: the management interface's port when that is enabled, else the listener's. */
    private static int proxyMetricsPort() throws IOException {
        String enabled = setting("QUARKUS_MANAGEMENT_ENABLED", "quarkus.management.enabled", "false");
        return Boolean.parseBoolean(enabled) ? port("QUARKUS_MANAGEMENT_PORT", "quarkus.management.port", "9000")
                : proxyListenerPort();
    }

    private static int port(String env, String property, String quarkusDefault) throws IOException {
        return Integer.parseInt(setting(env, property, quarkusDefault));
    }

    private static String setting(String env, String property, String quarkusDefault) throws IOException {
        JsonNode environment = service("proxy").path("environment");
        if (environment.has(env)) {
            return environment.get(env).asText();
        }
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(Path.of("application.properties"))));
        return properties.getProperty(property, quarkusDefault).trim();
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if (variable.get("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no variable " + name);
    }

    /** Every panel, those inside collapsed rows included, in order. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
