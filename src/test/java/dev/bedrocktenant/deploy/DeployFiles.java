package dev.bedrocktenant.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;

/** The operators' kit under deploy/ as the tests read it: the dashboard's queries and the rules' names. */
final class DeployFiles {

    static final Path DEPLOY = Path.of("deploy");
    static final Path PROMETHEUS = DEPLOY.resolve("prometheus");
    static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/bedrock-tenant-proxy.json");
    static final List<Path> RULE_FILES = List.of(PROMETHEUS.resolve("rules/recording.yml"),
            PROMETHEUS.resolve("rules/alerts.yml"));

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A name that starts an identifier, not one inside a number (5m) or after a dot. */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private DeployFiles() {
    }

    /** One query of one dashboard panel, as Grafana sends it: instant, or over the time range. */
    record PanelQuery(String panel, String expr, boolean instant) {
    }

    static List<PanelQuery> dashboardQueries() {
        List<PanelQuery> queries = new ArrayList<>();
        collect(read(DASHBOARD, JSON).get("panels"), queries);
        return queries;
    }

    private static void collect(JsonNode panels, List<PanelQuery> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(new PanelQuery(panel.get("title").asText(), target.get("expr").asText(),
                        target.path("instant").asBoolean(false)));
            }
            collect(panel.path("panels"), into);   // panels inside a collapsed row
        }
    }

    /**
     * The metric names a PromQL expression reads: the proxy's own (bedrock_tenant_…) and recording rules'
     * (level:metric:operations, the only names with a colon). Label values in quotes are left out.
     */
    static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(STRING.matcher(expr).replaceAll("\"\""));
        while (m.find()) {
            String name = m.group();
            if (name.startsWith("bedrock_tenant_") || name.contains(":")) {
                names.add(name);
            }
        }
        return names;
    }

    /** Every rule of the shipped rule files, each as its YAML node (with "record" or "alert"). */
    static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        for (Path file : RULE_FILES) {
            for (JsonNode group : read(file, YAML).get("groups")) {
                group.get("rules").forEach(rules::add);
            }
        }
        return rules;
    }

    static Set<String> recordNames() {
        Set<String> names = new LinkedHashSet<>();
        rules().stream().filter(r -> r.has("record")).forEach(r -> names.add(r.get("record").asText()));
        return names;
    }

    /**
     * Whether the commands (prometheus, promtool) run. Locally a missing one skips the calling test; with CI=true
     * it fails it, since .ci/run installs Debian's prometheus package and a silent skip would hide that the
     * rules and the dashboard went untested.
     */
    static void assumeInstalled(String... commands) {
        List<String> missing = Stream.of(commands).filter(c -> !runs(c)).toList();
        if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + missing + " not installed: .ci/run should have installed Debian's prometheus");
        }
        Assumptions.assumeTrue(missing.isEmpty(), missing + " not installed (Debian package prometheus): skipped");
    }

    private static boolean runs(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static JsonNode read(Path file, ObjectMapper mapper) {
        try {
            return mapper.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
