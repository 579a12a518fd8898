package dev.bedrocktenant.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bedrocktenant.tenant.Tenants;
import dev.bedrocktenant.tenant.TenantsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under deploy/kubernetes, parsed document by document and checked for what the API server and the
 * proxy need: kubeconform's schemas are not reachable offline, so the fields that matter are checked here, together
 * with what no schema knows (the endpoint the application needs, probes on the management port, the ledger on a
 * durable volume, the PrometheusRule equal to the shipped rules).
 */
class KubernetesManifestsTest {

    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path RULES = Path.of("deploy/prometheus/rules");
    private static final String PROXY = "bedrock-tenant-proxy";
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");
    /** Measured resident set of the native proxy after load (issue 19): the request covers it. */
    private static final long LOADED_RSS = 240L << 20;

    private static final YAMLMapper YAML = new YAMLMapper();
    private static List<JsonNode> documents;

    @BeforeAll
    static void parse() throws IOException {
        documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                            documents.add(doc);
                        }
                    });
                }
            }
        }
        assertFalse(documents.isEmpty(), "no manifests under " + KUBERNETES);
    }

    @Test
    void everyDocumentNamesItsApiVersionKindAndName() {
        Set<String> seen = new HashSet<>();
        for (JsonNode doc : documents) {
            String id = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
            assertTrue(doc.path("apiVersion").isTextual() && !doc.get("apiVersion").asText().isBlank(), id + ": apiVersion");
            assertTrue(doc.path("kind").isTextual() && !doc.get("kind").asText().isBlank(), id + ": kind");
            assertTrue(doc.path("metadata").path("name").asText().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"), id + ": metadata.name");
            assertTrue(seen.add(id), id + " is defined twice");
        }
    }

    @Test
    void everyContainerHasAnImageAndProbesADeclaredPort() {
        for (JsonNode workload : workloads()) {
            for (JsonNode container : containers(workload)) {
                String id = name(workload) + "/" + container.path("name").asText();
                assertFalse(container.path("image").asText().isBlank(), id + ": image");
                Map<String, Integer> ports = new HashMap<>();
                container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
                for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                    JsonNode get = container.path(probe).path("httpGet");
                    if (get.isMissingNode()) {
                        continue;
                    }
                    JsonNode port = get.get("port");
                    assertNotNull(port, id + ": " + probe + " names no port");
                    assertTrue(port.isInt() ? ports.containsValue(port.asInt()) : ports.containsKey(port.asText()),
                            id + ": " + probe + " port " + port + " is not among the container's ports " + ports);
                }
            }
        }
    }

    @Test
    void everyMountedVolumeIsDefined() {
        for (JsonNode workload : workloads()) {
            Set<String> volumes = volumeNames(workload);
            for (JsonNode container : containers(workload)) {
                container.path("volumeMounts").forEach(m -> assertTrue(volumes.contains(m.path("name").asText()),
                        name(workload) + "/" + container.path("name").asText() + " mounts undefined volume " + m.path("name")));
            }
        }
    }

    @Test
    void theApplicationReachesBedrockThroughTheSidecar() {
        for (JsonNode workload : proxyWorkloads()) {
            List<JsonNode> apps = containers(workload).stream().filter(c -> !PROXY.equals(c.path("name").asText())).toList();
            assertFalse(apps.isEmpty(), name(workload) + ": no application container beside the proxy");
            for (JsonNode app : apps) {
                assertEquals(Optional.of("http://127.0.0.1:8787"), env(app, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"),
                        name(workload) + "/" + app.path("name").asText());
            }
        }
    }

    /** Health and /metrics face the pod IP on the management port; the Bedrock listener keeps 127.0.0.1. */
    @Test
    void probesAndScrapingUseTheManagementPortOnly() {
        for (JsonNode workload : proxyWorkloads()) {
            JsonNode proxy = proxyContainer(workload);
            assertEquals(Optional.empty(), env(proxy, "QUARKUS_HTTP_HOST"), "the Bedrock listener must stay on loopback");
            assertEquals(Optional.of("0.0.0.0"), env(proxy, "QUARKUS_MANAGEMENT_HOST"));
            int management = Integer.parseInt(env(proxy, "QUARKUS_MANAGEMENT_PORT").orElse("9000"));
            assertEquals(1, proxy.path("ports").size(), "only the management port is declared: " + proxy.path("ports"));
            JsonNode port = proxy.path("ports").get(0);
            assertEquals(management, port.path("containerPort").asInt());
            assertEquals("metrics", port.path("name").asText(), "deploy/prometheus' pod discovery keeps ports named metrics");
            assertEquals("/q/health/ready", proxy.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/live", proxy.path("livenessProbe").path("httpGet").path("path").asText());
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                JsonNode probePort = proxy.path(probe).path("httpGet").path("port");
                assertTrue(probePort.asText().equals("metrics") || probePort.asInt() == management, probe + " on " + probePort);
            }
            for (JsonNode monitor : ofKind("PodMonitor")) {
                for (JsonNode endpoint : monitor.path("spec").path("podMetricsEndpoints")) {
                    assertEquals("metrics", endpoint.path("port").asText(), name(monitor));
                    assertEquals("/metrics", endpoint.path("path").asText("/metrics"), name(monitor));
                }
                assertTrue(selects(monitor.path("spec").path("selector").path("matchLabels"), workload), name(monitor) + " selects no proxy pod");
            }
            for (JsonNode policy : ofKind("NetworkPolicy")) {
                Set<Integer> open = new HashSet<>();
                policy.path("spec").path("ingress").forEach(rule -> rule.path("ports").forEach(p -> open.add(p.path("port").asInt())));
                assertEquals(Set.of(management), open, name(policy) + " opens exactly the management port");
            }
        }
        assertFalse(ofKind("PodMonitor").isEmpty(), "a PodMonitor scrapes the sidecars");
    }

    @Test
    void resourcesCoverTheMeasuredFootprint() {
        for (JsonNode workload : proxyWorkloads()) {
            JsonNode resources = proxyContainer(workload).path("resources");
            long request = bytes(resources.path("requests").path("memory").asText());
            long limit = bytes(resources.path("limits").path("memory").asText());
            assertTrue(request >= LOADED_RSS, "memory request " + request + " below the loaded RSS");
            assertTrue(limit > request, "memory limit " + limit + " leaves no headroom above the request");
        }
    }

    /** Billing lines outlive the pod: the ledger directory is a claim of the pod's own, not an emptyDir. */
    @Test
    void theLedgerIsOnADurableVolume() {
        for (JsonNode workload : proxyWorkloads()) {
            JsonNode proxy = proxyContainer(workload);
            String dir = env(proxy, "PROXY_LEDGER_DIR").orElseThrow(() -> new AssertionError("PROXY_LEDGER_DIR unset"));
            String volume = null;
            for (JsonNode mount : proxy.path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals(dir)) {
                    volume = mount.path("name").asText();
                    assertFalse(mount.has("subPath"), "the ledger mounted with subPath");
                    assertFalse(mount.path("readOnly").asBoolean(), "ledger mounted read-only");
                }
            }
            assertNotNull(volume, "nothing is mounted at the ledger directory " + dir);
            Set<String> claims = new HashSet<>();
            workload.path("spec").path("volumeClaimTemplates").forEach(t -> claims.add(t.path("metadata").path("name").asText()));
            for (JsonNode v : workload.path("spec").path("template").path("spec").path("volumes")) {
                if (v.path("persistentVolumeClaim").has("claimName")) {
                    claims.add(v.path("name").asText());
                }
            }
            assertTrue(claims.contains(volume), "the ledger volume " + volume + " is not a persistent volume claim");
        }
    }

    /** The ConfigMap is mounted as a directory (a subPath mount never sees an update) and holds a valid tenants file. */
    @Test
    void theTenantsComeFromAConfigMapDirectory() throws IOException {
        for (JsonNode workload : proxyWorkloads()) {
            JsonNode proxy = proxyContainer(workload);
            Path file = Path.of(env(proxy, "PROXY_TENANTS_FILE").orElseThrow());
            JsonNode mount = null;
            for (JsonNode m : proxy.path("volumeMounts")) {
                if (Path.of(m.path("mountPath").asText()).equals(file.getParent())) {
                    mount = m;
                }
            }
            assertNotNull(mount, "nothing is mounted at " + file.getParent());
            assertFalse(mount.has("subPath"), "a subPath mount is never updated");
            String volumeName = mount.path("name").asText();
            JsonNode volume = null;
            for (JsonNode v : workload.path("spec").path("template").path("spec").path("volumes")) {
                if (v.path("name").asText().equals(volumeName)) {
                    volume = v;
                }
            }
            assertNotNull(volume);
            String configMap = volume.path("configMap").path("name").asText();
            JsonNode data = ofKind("ConfigMap").stream().filter(c -> name(c).equals(configMap)).findFirst()
                    .orElseThrow(() -> new AssertionError("ConfigMap " + configMap + " is not shipped")).path("data");
            JsonNode text = data.get(file.getFileName().toString());
            assertNotNull(text, "ConfigMap " + configMap + " has no key " + file.getFileName());
            Tenants tenants = new TenantsFile(name -> Optional.of("unused")).parse(text.asText());
            assertTrue(tenants.size() > 0, "the shipped tenants file defines no tenant");
        }
    }

    /** IRSA: the pod's service account is shipped and names the role the proxy signs with. */
    @Test
    void thePodRunsUnderAnAnnotatedServiceAccount() {
        for (JsonNode workload : proxyWorkloads()) {
            String account = workload.path("spec").path("template").path("spec").path("serviceAccountName").asText();
            JsonNode sa = ofKind("ServiceAccount").stream().filter(s -> name(s).equals(account)).findFirst()
                    .orElseThrow(() -> new AssertionError("ServiceAccount " + account + " is not shipped"));
            assertTrue(sa.path("metadata").path("annotations").path("eks.amazonaws.com/role-arn").asText()
                    .matches("arn:aws[-a-z]*:iam::\\d{12}:role/.+"), name(sa) + ": IRSA role annotation");
        }
    }

    /**
     * A PrometheusRule carries exactly the groups of deploy/prometheus/rules/*.yml, so that Prometheus Operator users
     * get the same rules as a plain Prometheus. Without shipped rules no PrometheusRule may be shipped either.
     */
    @Test
    void thePrometheusRuleWrapsTheShippedRules() throws IOException {
        ArrayNode groups = YAML.createArrayNode();
        if (Files.isDirectory(RULES)) {
            try (Stream<Path> files = Files.list(RULES)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList()) {
                    YAML.readTree(file.toFile()).path("groups").forEach(groups::add);
                }
            }
        }
        List<JsonNode> wrapped = ofKind("PrometheusRule");
        if (groups.isEmpty()) {
            assertEquals(List.of(), wrapped, "a PrometheusRule without rule files under " + RULES + " to check it against");
            return;
        }
        if (wrapped.size() != 1) {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            fail("expected one PrometheusRule wrapping " + RULES + ", as:\n" + yaml.writeValueAsString(Map.of(
                    "apiVersion", "monitoring.coreos.com/v1", "kind", "PrometheusRule",
                    "metadata", Map.of("name", PROXY), "spec", Map.of("groups", groups))));
        }
        assertEquals(groups, wrapped.get(0).path("spec").path("groups"), "the PrometheusRule differs from " + RULES);
    }

    private static List<JsonNode> ofKind(String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static List<JsonNode> workloads() {
        return documents.stream().filter(d -> WORKLOADS.contains(d.path("kind").asText())).toList();
    }

    private static List<JsonNode> proxyWorkloads() {
        List<JsonNode> found = workloads().stream()
                .filter(w -> containers(w).stream().anyMatch(c -> PROXY.equals(c.path("name").asText()))).toList();
        assertFalse(found.isEmpty(), "no workload runs a container named " + PROXY);
        return found;
    }

    private static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> all = new ArrayList<>();
        JsonNode pod = workload.path("spec").path("template").path("spec");
        pod.path("initContainers").forEach(all::add);
        pod.path("containers").forEach(all::add);
        return all;
    }

    private static JsonNode proxyContainer(JsonNode workload) {
        return containers(workload).stream().filter(c -> PROXY.equals(c.path("name").asText())).findFirst().orElseThrow();
    }

    private static Set<String> volumeNames(JsonNode workload) {
        Set<String> names = new HashSet<>();
        workload.path("spec").path("template").path("spec").path("volumes").forEach(v -> names.add(v.path("name").asText()));
        workload.path("spec").path("volumeClaimTemplates").forEach(t -> names.add(t.path("metadata").path("name").asText()));
        return names;
    }

    private static boolean selects(JsonNode matchLabels, JsonNode workload) {
        JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
        var fields = matchLabels.fields();
        boolean any = false;
        while (fields.hasNext()) {
            var label = fields.next();
            any = true;
            if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return any;
    }

    private static Optional<String> env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return Optional.of(e.path("value").asText());
            }
        }
        return Optional.empty();
    }

    private static String name(JsonNode doc) {
        return doc.path("metadata").path("name").asText();
    }

    /** A Kubernetes quantity in bytes: the binary suffixes (Ki … Ti) and plain bytes, which is all memory uses here. */
    static long bytes(String quantity) {
        String[] suffixes = {"Ki", "Mi", "Gi", "Ti"};
        for (int i = 0; i < suffixes.length; i++) {
            if (quantity.endsWith(suffixes[i])) {
                return new BigInteger(quantity.substring(0, quantity.length() - 2)).shiftLeft(10 * (i + 1)).longValueExact();
            }
        }
        if (!quantity.matches("\\d+")) {
            throw new AssertionError("memory quantity '" + quantity + "': use Ki, Mi, Gi, Ti or plain bytes");
        }
        return Long.parseLong(quantity);
    }
}
