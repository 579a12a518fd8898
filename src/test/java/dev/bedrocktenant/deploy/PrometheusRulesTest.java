package dev.bedrocktenant.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Prometheus files through Debian's promtool: the rules and the static configuration load, their unit
 * tests (deploy/prometheus/tests) pass, and each rule is covered by them: with any one rule's expression made to
 * return nothing, the unit tests fail. Each alert carries a severity, a summary and a runbook line.
 */
class PrometheusRulesTest {

    private static final Path TESTS = DeployFiles.PROMETHEUS.resolve("tests");

    @BeforeAll
    static void promtoolInstalled() {
        DeployFiles.assumeInstalled("promtool");
    }

    @Test
    void theRulesAndTheStaticConfigurationLoad() throws Exception {
        List<String> check = new ArrayList<>(List.of("promtool", "check", "rules"));
        DeployFiles.RULE_FILES.forEach(f -> check.add(f.toString()));
        Run rules = run(check);
        assertEquals(0, rules.exit(), rules.output());
        assertEquals(DeployFiles.rules().size(), countFound(rules.output()), rules.output());

        // prometheus-kubernetes.yml needs Kubernetes discovery, which Debian's build lacks (DeployFilesTest checks it)
        Run config = run(List.of("promtool", "check", "config", DeployFiles.PROMETHEUS.resolve("prometheus.yml").toString()));
        assertEquals(0, config.exit(), config.output());
    }

    @Test
    void theUnitTestsPass() throws Exception {
        Run tests = promtoolTest(TESTS);
        assertEquals(0, tests.exit(), tests.output());
        assertFalse(tests.output().contains("FAILED"), tests.output());
    }

    /** A rule no unit test looks at could be wrong unnoticed: break each in turn, the unit tests must fail. */
    @Test
    void everyRuleIsCoveredByAUnitTest(@TempDir Path copy) throws Exception {
        int rules = DeployFiles.rules().size();
        assertTrue(rules >= 15, "rules: " + rules);
        for (int broken = 0; broken < rules; broken++) {
            Path dir = copy.resolve("mutant-" + broken);
            String name = writeWithOneRuleBroken(dir, broken);
            Run tests = promtoolTest(dir.resolve("tests"));
            assertNotEquals(0, tests.exit(), name + " (rule " + broken + ") returns nothing and no unit test notices");
        }
    }

    @Test
    void everyAlertHasASeveritySummaryAndRunbook() {
        List<JsonNode> alerts = DeployFiles.rules().stream().filter(r -> r.has("alert")).toList();
        assertTrue(alerts.size() >= 9, "alerts: " + alerts.size());
        for (JsonNode alert : alerts) {
            String name = alert.get("alert").asText();
            assertTrue(Set.of("warning", "critical").contains(alert.path("labels").path("severity").asText()), name);
            for (String annotation : List.of("summary", "description", "runbook")) {
                assertFalse(alert.path("annotations").path(annotation).asText().isBlank(), name + " lacks " + annotation);
            }
            // one line, as it lands in a notification
            assertFalse(alert.get("annotations").get("runbook").asText().contains("\n"), name);
        }
    }

    /** The rule files and unit tests under dir/rules and dir/tests, with rule number {@code broken} returning nothing. */
    private static String writeWithOneRuleBroken(Path dir, int broken) throws IOException {
        Files.createDirectories(dir.resolve("rules"));
        Files.createDirectories(dir.resolve("tests"));
        try (Stream<Path> tests = Files.list(TESTS)) {
            for (Path test : tests.toList()) {
                Files.copy(test, dir.resolve("tests").resolve(test.getFileName()));
            }
        }
        int index = 0;
        String name = null;
        for (Path file : DeployFiles.RULE_FILES) {
            JsonNode groups = DeployFiles.read(file, DeployFiles.YAML);
            for (JsonNode group : groups.get("groups")) {
                for (JsonNode rule : group.get("rules")) {
                    if (index++ == broken) {
                        ((ObjectNode) rule).put("expr", "vector(1) < 0");
                        name = rule.has("alert") ? rule.get("alert").asText() : rule.get("record").asText() + rule.path("labels");
                    }
                }
            }
            DeployFiles.YAML.writeValue(dir.resolve("rules").resolve(file.getFileName()).toFile(), groups);
        }
        return name;
    }

    private static Run promtoolTest(Path testDir) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        try (Stream<Path> tests = Files.list(testDir)) {
            tests.filter(p -> p.toString().endsWith(".test.yml")).sorted().forEach(p -> command.add(p.toString()));
        }
        assertTrue(command.size() >= 5, "unit test files: " + command);
        return run(command);
    }

    private static int countFound(String checkOutput) {
        int found = 0;
        for (String line : checkOutput.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("SUCCESS: ") && trimmed.endsWith(" rules found")) {
                found += Integer.parseInt(trimmed.split(" ")[1]);
            }
        }
        return found;
    }

    record Run(int exit, String output) {
    }

    private static Run run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "promtool did not finish: " + command);
        return new Run(p.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
