package dev.bedrocktenant.admin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.bedrocktenant.cli.CommandEnvironment;
import dev.bedrocktenant.cli.Commands;
import dev.bedrocktenant.metering.cloudwatch.FakeCloudWatch;
import dev.bedrocktenant.metering.ledger.Adjustment;
import dev.bedrocktenant.metering.ledger.LedgerEntry;
import dev.bedrocktenant.metering.ledger.LedgerLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The command end to end, against {@link FakeCloudWatch} serving known AWS/Bedrock figures. */
class ReconcileCommandTest {

    static final String ACME_HAIKU = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01";
    static final String ACME_REEL = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0reel01";
    static final String GLOBEX_HAIKU = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/globex0haiku1";

    @TempDir
    Path dir;
    final FakeCloudWatch fake = new FakeCloudWatch();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path tenants;
    Path ledger;

    @BeforeEach
    void files() throws IOException {
        tenants = Files.writeString(dir.resolve("tenants.yaml"), """
                tenants:
                  acme:
                    accessKeys:
                      - { id: AKIAACMEEXAMPLE00002, secretEnv: RECONCILE_TEST_SECRET_NOT_SET }
                    profiles:
                      "anthropic.claude-3-haiku-20240307-v1:0": "%s"
                      "us.anthropic.claude-3-haiku-20240307-v1:0": "%s"
                      "amazon.nova-reel-v1:1": "%s"
                  globex:
                    profiles:
                      "anthropic.claude-3-haiku-20240307-v1:0": "%s"
                """.formatted(ACME_HAIKU, ACME_HAIKU, ACME_REEL, GLOBEX_HAIKU));
        ledger = Files.createDirectory(dir.resolve("usage-ledger"));
        Files.write(ledger.resolve("usage-2026-11-21.jsonl"), List.of(
                line("2026-11-21T23:59:59Z", ACME_HAIKU, 1000, 1000, 200))); // before the window
        Files.write(ledger.resolve("usage-2026-11-22.jsonl"), List.of(
                line("2026-11-22T08:00:00Z", ACME_HAIKU, 100, 20, 200),
                line("2026-11-22T09:00:00.250Z", ACME_HAIKU, 50, 10, 200),
                line("2026-11-22T09:01:00Z", ACME_HAIKU, 0, 0, 429),
                line("2026-11-22T10:00:00Z", GLOBEX_HAIKU, 7, 3, 200),
                "{\"ts\":\"2026-11-22T10:00:01Z\",\"tenant\":\"acme\",\"profileArn\":null,\"status\":403,\"inputTokens\":0}",
                line("2026-11-22T11:00:00Z", "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/other", 5, 5, 200),
                "{\"ts\":\"2026-11-22T12:00:00Z\",\"profileArn\":\"" + ACME_HAIKU + "\",\"inputTo", // torn by a crash
                "not json at all"));
        Files.write(ledger.resolve("usage-2026-11-23.jsonl"), List.of(
                line("2026-11-22T23:59:30Z", GLOBEX_HAIKU, 1, 1, 200), // written across midnight, still in the window
                line("2026-11-23T00:00:00Z", GLOBEX_HAIKU, 1000, 1000, 200))); // the window's end is exclusive
        fake.pageSize(4); // 9 queries: three pages
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    static String line(String ts, String profileArn, long in, long outTokens, int status) {
        return line(ts, "r-" + ts, "t", profileArn, in, outTokens, status);
    }

    /** A ledger line as the proxy writes it (docs/reference.md §7). */
    static String line(String ts, String requestId, String tenant, String profileArn, long in, long outTokens, int status) {
        return """
                {"ts":"%s","requestId":"%s","tenant":"%s","model":"m","profileArn":"%s","operation":"Converse",\
                "inputTokens":%d,"outputTokens":%d,"cacheReadTokens":0,"cacheWriteTokens":0,"costUsd":"0.000100",\
                "status":%d,"outcome":"success","partial":false,"latencyMs":12}""".formatted(ts, requestId, tenant, profileArn, in,
                outTokens, status);
    }

    void bedrock(String profileArn, double[] invocations, double[] input, double[] output) {
        fake.series("AWS/Bedrock", "Invocations", Map.of("ModelId", profileArn), invocations);
        fake.series("AWS/Bedrock", "InputTokenCount", Map.of("ModelId", profileArn), input);
        fake.series("AWS/Bedrock", "OutputTokenCount", Map.of("ModelId", profileArn), output);
    }

    int run(String... args) {
        return runWith(Map.of(), args);
    }

    /** @param settings the proxy's configuration as the command sees it */
    int runWith(Map<String, String> settings, String... args) {
        var environment = new CommandEnvironment(key -> Optional.ofNullable(settings.get(key)),
                () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDRECONCILETEST001", "reconcile-test-secret")),
                Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC));
        return Commands.run(Stream.concat(Stream.of("reconcile"), Stream.of(args)).toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), environment);
    }

    int reconcile() {
        return run("--from", "2026-11-22", "--to", "2026-11-22", "--tenants", tenants.toString(),
                "--ledger-dir", ledger.toString(), "--endpoint", fake.endpoint().toString(), "--region", "us-east-1");
    }

    String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    List<String> rowsOf(String profileArn) {
        return output().lines().filter(l -> l.contains(profileArn)).toList();
    }

    @Test
    void matchingFiguresExitZeroWithOkLines() {
        bedrock(ACME_HAIKU, new double[] {1, 1}, new double[] {60, 90}, new double[] {30});
        bedrock(GLOBEX_HAIKU, new double[] {2}, new double[] {8}, new double[] {4});
        // acme's reel profile: no traffic on either side, no datapoints

        assertEquals(0, reconcile(), output() + err);

        assertEquals(3, rowsOf(ACME_HAIKU).size(), "one profile listed under two models is compared once");
        for (String arn : List.of(ACME_HAIKU, ACME_REEL, GLOBEX_HAIKU)) {
            rowsOf(arn).forEach(row -> assertTrue(row.endsWith("OK"), row));
        }
        assertTrue(rowsOf(ACME_HAIKU).stream().anyMatch(r -> r.matches("acme\\s+\\S+\\s+InputTokenCount\\s+150\\s+150\\s+0\\s+OK")), output());
        assertTrue(output().contains("All 9 figures match."), output());
        assertTrue(output().contains("2 unreadable lines skipped"), output());

        assertEquals(3, fake.gets().size(), "paginated with NextToken");
        FakeCloudWatch.GetCall first = fake.gets().get(0);
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"), first.start());
        assertEquals(Instant.parse("2026-11-23T00:00:00Z"), first.end());
        first.queries().forEach(q -> {
            assertEquals("Sum", q.stat());
            assertEquals(86_400, q.period(), "one period covering the window");
            assertEquals("AWS/Bedrock", q.namespace());
        });
    }

    @Test
    void anAdministratorsResetIsNoInvocationOfAnyProfile() throws IOException {
        Files.writeString(ledger.resolve("usage-2026-11-22.jsonl"), LedgerLine.encode(LedgerEntry.of(
                Adjustment.RESET_DAILY.line("acme", "r-reset", Instant.parse("2026-11-22T09:30:00Z")))) + "\n",
                StandardOpenOption.APPEND);
        bedrock(ACME_HAIKU, new double[] {2}, new double[] {150}, new double[] {30});
        bedrock(GLOBEX_HAIKU, new double[] {2}, new double[] {8}, new double[] {4});

        assertEquals(0, reconcile(), output() + err);
    }

    @Test
    void aDifferenceExitsOneAndShowsIt() {
        bedrock(ACME_HAIKU, new double[] {2}, new double[] {150}, new double[] {30});
        bedrock(GLOBEX_HAIKU, new double[] {2}, new double[] {5}, new double[] {4}); // Bedrock saw 3 input tokens fewer

        assertEquals(1, reconcile(), output() + err);

        String row = rowsOf(GLOBEX_HAIKU).stream().filter(r -> r.contains("InputTokenCount")).findFirst().orElseThrow();
        assertTrue(row.matches("globex\\s+\\S+\\s+InputTokenCount\\s+8\\s+5\\s+\\+3\\s+MISMATCH"), row);
        assertTrue(output().contains("1 of 9 figures MISMATCH"), output());
    }

    @Test
    void cloudWatchFailingExitsTwo() {
        fake.failing(true);
        assertEquals(2, reconcile());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("GetMetricData failed"), err.toString());
    }

    @Test
    void badArgumentsExitTwoWithTheUsage() {
        assertEquals(2, run("--from", "yesterday", "--to", "2026-11-22"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: reconcile"));
        assertEquals(2, run("--to", "2026-11-22"));
    }

    @Test
    void aMissingLedgerDirectoryExitsTwo() {
        assertEquals(2, run("--from", "2026-11-22", "--to", "2026-11-22", "--tenants", tenants.toString(),
                "--ledger-dir", dir.resolve("nowhere").toString(), "--endpoint", fake.endpoint().toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not exist"));
    }

    @Test
    void theLedgerTenantsRegionAndEndpointDefaultToTheProxysSettings() {
        bedrock(ACME_HAIKU, new double[] {2}, new double[] {150}, new double[] {30});
        bedrock(GLOBEX_HAIKU, new double[] {2}, new double[] {8}, new double[] {4});
        Map<String, String> settings = Map.of("proxy.tenants-file", tenants.toString(), "proxy.ledger.dir", ledger.toString(),
                "proxy.cloudwatch.endpoint", fake.endpoint().toString(), "aws.region", "eu-west-1");

        assertEquals(0, runWith(settings, "--from", "2026-11-22", "--to", "2026-11-22"), output() + err);

        assertTrue(output().contains("ledger:     " + ledger + " (7 lines in the window"), output());
        assertTrue(output().contains("AWS/Bedrock in eu-west-1 via " + fake.endpoint()), output());
    }
}
