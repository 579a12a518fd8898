package dev.bedrocktenant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.bedrocktenant.metering.cloudwatch.FakeCloudWatch.AlarmPut;
import dev.bedrocktenant.metering.cloudwatch.FakeCloudWatch.AlarmQuery;
import dev.bedrocktenant.metering.cloudwatch.FakeCloudWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The alarms command end to end, the real SDK client against {@link FakeCloudWatch}. */
class AlarmsCommandTest {

    private static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:tenant-alarms";

    /** acme: a tier's limits and its own budget; globex: one limit; initech: nothing to alarm on. */
    private static final String TENANTS = """
            tiers:
              standard: { limits: { requestsPerMinute: 600, tokensPerMinute: 100000 } }
            tenants:
              acme:
                tags: { TenantID: acme, CostCenter: marketing }
                accessKeys:
                  - { id: AKIAACMEEXAMPLE00002, secretEnv: ALARMS_TEST_SECRET_NOT_SET }
                tier: standard
                budget: { dailyUsd: 10.00 }
              globex:
                limits: { requestsPerMinute: %d }
              initech: {}
            """;

    @TempDir
    Path dir;
    private final FakeCloudWatch fake = new FakeCloudWatch();
    private final CommandRunner runner = new CommandRunner(() -> StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDALARMSTEST000001", "alarms-test-secret")));
    private Path tenants;

    @BeforeEach
    void files() throws IOException {
        tenants = dir.resolve("tenants.yaml");
        globexRequestsPerMinute(60);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private void globexRequestsPerMinute(int limit) throws IOException {
        Files.writeString(tenants, TENANTS.formatted(limit));
    }

    /** With the fake's endpoint, the topic and the tenants file given as options. */
    private int alarms(String... args) {
        return runWith(Map.of(), Stream.concat(Stream.of("alarms", "--tenants", tenants.toString(), "--endpoint",
                fake.endpoint().toString(), "--sns-topic-arn", TOPIC), Stream.of(args)).toArray(String[]::new));
    }

    /** @param settings the proxy's configuration as the command sees it */
    private int runWith(Map<String, String> settings, String... args) {
        return runner.run(settings, args);
    }

    private String output() {
        return runner.out();
    }

    private String row(String tenant, String kind) {
        return output().lines().filter(l -> l.startsWith(tenant + " ") && l.contains(" " + kind + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + tenant + " " + kind + " in\n" + output()));
    }

    private static String sumOf(String metric, String tenant) {
        return "SELECT SUM(" + metric + ") FROM SCHEMA(\"BedrockTenants\", TenantId, ModelId) WHERE TenantId = '" + tenant + "'";
    }

    @Test
    void aDryRunShowsThePlanAndPutsNothing() {
        assertEquals(0, alarms("--dry-run"), runner.err());
        System.out.println(output());
        assertTrue(row("acme", "tokens-per-minute").matches(".*planned +100000 \\(100% of limits.tokensPerMinute 100000\\) +btp-acme-tokens-per-minute"),
                output());
        assertTrue(row("acme", "cost-5m").contains("1 (10% of budget.dailyUsd 10.00)"), output());
        assertTrue(row("globex", "requests-per-minute").contains("planned"), output());
        assertTrue(row("globex", "cost-5m").contains("skipped") && row("globex", "cost-5m").contains("no budget.dailyUsd"), output());
        for (AlarmKind kind : AlarmKind.values()) {
            assertTrue(row("initech", kind.id).contains("skipped"), output());
        }
        assertTrue(output().contains("dry run: nothing changed; 4 alarm(s) would be created, 0 updated"), output());
        assertEquals(List.of(), fake.alarmPuts());
    }

    @Test
    void aRealRunCreatesEachAlarmOverAllTheTenantsModelsAndASecondRunPutsNothing() {
        assertEquals(0, alarms("--ratio", "0.8"), runner.err());
        System.out.println(output());
        assertEquals(List.of("btp-acme-cost-5m", "btp-acme-requests-per-minute", "btp-acme-tokens-per-minute",
                "btp-globex-requests-per-minute"), List.copyOf(fake.alarms().keySet()));
        assertEquals(4, fake.alarmPuts().size());
        assertTrue(output().contains("4 alarm(s) created, 0 updated, 0 already as wanted"), output());

        AlarmPut tokens = fake.alarms().get("btp-acme-tokens-per-minute");
        assertEquals(List.of(
                new AlarmQuery("q1", sumOf("InputTokenCount", "acme"), 60, false),
                new AlarmQuery("q2", sumOf("OutputTokenCount", "acme"), 60, false),
                new AlarmQuery("q3", sumOf("CacheReadInputTokenCount", "acme"), 60, false),
                new AlarmQuery("q4", sumOf("CacheWriteInputTokenCount", "acme"), 60, false),
                new AlarmQuery("total", "FILL(q1, 0) + FILL(q2, 0) + FILL(q3, 0) + FILL(q4, 0)", null, true)), tokens.metrics());
        assertEquals(80000.0, tokens.threshold());
        assertEquals("GreaterThanOrEqualToThreshold", tokens.comparisonOperator());
        assertEquals(1, tokens.evaluationPeriods());
        assertEquals(1, tokens.datapointsToAlarm());
        assertEquals("notBreaching", tokens.treatMissingData());
        assertEquals(List.of(TOPIC), tokens.alarmActions());
        assertEquals(Map.of("TenantID", "acme", "CostCenter", "marketing"), tokens.tags());
        assertNull(tokens.namespace(), "an alarm on queries names no single metric");
        assertNull(tokens.metricName());

        AlarmPut cost = fake.alarms().get("btp-acme-cost-5m");
        assertEquals(List.of(new AlarmQuery("q1", sumOf("EstimatedCostUSD", "acme"), 300, true)), cost.metrics());
        assertEquals(1.0, cost.threshold());
        AlarmPut requests = fake.alarms().get("btp-globex-requests-per-minute");
        assertEquals(List.of(new AlarmQuery("q1", sumOf("Invocations", "globex"), 60, true)), requests.metrics());
        assertEquals(48.0, requests.threshold());
        assertEquals(Map.of("TenantID", "globex"), requests.tags());

        fake.pageSize(3); // four alarms: DescribeAlarms answers in two pages
        assertEquals(0, alarms("--ratio", "0.8"), runner.err());
        assertEquals(4, fake.alarmPuts().size(), "nothing put again");
        assertEquals(4, output().lines().filter(l -> l.contains(" existing ")).count(), output());
        assertTrue(output().contains("0 alarm(s) created, 0 updated, 4 already as wanted"), output());
    }

    @Test
    void aChangedLimitUpdatesExactlyThatAlarm() throws IOException {
        assertEquals(0, alarms(), runner.err());
        globexRequestsPerMinute(120);

        assertEquals(0, alarms("--dry-run"), runner.err());
        assertTrue(row("globex", "requests-per-minute").contains("outdated"), output());
        assertTrue(output().contains("dry run: nothing changed; 0 alarm(s) would be created, 1 updated"), output());
        assertEquals(4, fake.alarmPuts().size());

        assertEquals(0, alarms(), runner.err());
        System.out.println(output());
        List<AlarmPut> puts = fake.alarmPuts();
        assertEquals(5, puts.size());
        assertEquals("btp-globex-requests-per-minute", puts.get(4).alarmName());
        assertEquals(120.0, fake.alarms().get("btp-globex-requests-per-minute").threshold());
        assertTrue(row("globex", "requests-per-minute").contains("updated"), output());
        assertTrue(output().contains("0 alarm(s) created, 1 updated, 3 already as wanted"), output());
    }

    @Test
    void thresholdsOnTheCommandLineApplyToEveryTenant() {
        assertEquals(0, alarms("--cost-per-5m", "2.50", "--tokens-per-minute", "5000"), runner.err());
        System.out.println(output());
        assertEquals(2.5, fake.alarms().get("btp-initech-cost-5m").threshold());
        assertEquals(2.5, fake.alarms().get("btp-acme-cost-5m").threshold(), "the command line wins over the budget");
        assertEquals(5000.0, fake.alarms().get("btp-globex-tokens-per-minute").threshold());
        assertTrue(row("initech", "cost-5m").contains("2.5 (--cost-per-5m)"), output());
        assertTrue(row("initech", "requests-per-minute").contains("skipped"), output());
        assertEquals(8, fake.alarms().size(), "acme 3, globex 3, initech all but requests per minute");
    }

    @Test
    void optionsDefaultToTheProxysSettings() {
        Map<String, String> settings = Map.of("proxy.tenants-file", tenants.toString(),
                "proxy.cloudwatch.endpoint", fake.endpoint().toString(), "proxy.notify.sns-topic-arn", TOPIC,
                "proxy.cloudwatch.namespace", "Acme/LLM", "proxy.profiles.name-prefix", "llm");
        assertEquals(0, runWith(settings, "alarms"), runner.err());
        AlarmPut requests = fake.alarms().get("llm-globex-requests-per-minute");
        assertEquals("SELECT SUM(Invocations) FROM SCHEMA(\"Acme/LLM\", TenantId, ModelId) WHERE TenantId = 'globex'",
                requests.metrics().get(0).expression());
        assertEquals(List.of(TOPIC), requests.alarmActions());
    }

    @Test
    void aWrongCommandLineExitsTwoAndCallsNothing() {
        assertEquals(2, runWith(Map.of(), "alarms", "--tenants", tenants.toString(), "--endpoint", fake.endpoint().toString()));
        assertTrue(runner.err().contains("no SNS topic: give --sns-topic-arn ARN or set proxy.notify.sns-topic-arn"), runner.err());
        assertTrue(runner.err().contains("usage: alarms"), runner.err());
        assertEquals(2, alarms("--ratio", "0"));
        assertTrue(runner.err().contains("--ratio must be more than 0, not 0"), runner.err());
        assertEquals(2, alarms("--cost-per-5m", "a lot"));
        assertEquals(2, runWith(Map.of("proxy.notify.sns-topic-arn", "tenant-alarms"), "alarms", "--tenants", tenants.toString(),
                "--endpoint", fake.endpoint().toString()));
        assertTrue(runner.err().contains("'tenant-alarms' is not an ARN"), runner.err());
        assertEquals(2, alarms("--frobnicate"));
        assertEquals(0, fake.requests());
    }

    @Test
    void aCloudWatchErrorExitsOne() {
        fake.failing(true);
        assertEquals(1, alarms());
        assertTrue(runner.err().contains("InternalServiceFault"), runner.err());
        assertEquals(List.of(), fake.alarmPuts());

        fake.failing(false);
        fake.alarmQuota(2);
        assertEquals(1, alarms());
        System.out.println(output());
        assertEquals(2, fake.alarms().size());
        List<String> failed = output().lines().filter(l -> l.contains(" failed ")).toList();
        assertEquals(2, failed.size(), output());
        assertTrue(failed.stream().allMatch(l -> l.contains("LimitExceeded")), output());
        assertTrue(output().contains("2 alarm(s) created, 0 updated, 0 already as wanted"), output());
    }

    @Test
    void helpListsTheOptionsAndCallsNothing() {
        assertTrue(Commands.handles("alarms"));
        assertEquals(0, runWith(Map.of(), "alarms", "--help"), runner.err());
        assertTrue(output().startsWith("usage: alarms "), output());
        List<String> missing = new ArrayList<>();
        for (String option : List.of("--tenants=FILE", "--sns-topic-arn=ARN", "--ratio=R", "--budget-share=S",
                "--requests-per-minute=N", "--tokens-per-minute=N", "--cost-per-5m=USD", "--namespace=NAMESPACE",
                "--region=REGION", "--endpoint=URL", "--name-prefix=PREFIX", "--tag-key=KEY", "--dry-run")) {
            if (!output().contains(option)) {
                missing.add(option);
            }
        }
        assertEquals(List.of(), missing, output());
        assertEquals(0, fake.requests());
    }
}
