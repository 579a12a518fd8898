package dev.bedrocktenant.admin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import dev.bedrocktenant.cli.CommandRunner;
import dev.bedrocktenant.metering.ledger.upload.FakeS3;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code reconcile --invocation-logs} end to end, against a fixture of Bedrock model invocation log records
 * (src/test/resources/invocation-logs/records.jsonl): a call in both with the same tokens, one whose output tokens
 * differ, two that bypassed the proxy (one by a developer's own role, one by a tenant's role used directly), one
 * logged just before midnight and written to the ledger just after, one after the window, and a record of another
 * schema.
 */
class ReconcileInvocationLogsTest {

    static final String ACCESS_KEY = "AKIDRECONCILELOGS001";
    static final String SECRET = "reconcile-logs-secret";
    static final String WINDOW_DAY = "2026-11-22";

    @TempDir
    Path dir;
    Path ledger;
    final CommandRunner runner = new CommandRunner(
            () -> StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)));

    @BeforeEach
    void ledger() throws IOException {
        ledger = Files.createDirectory(dir.resolve("usage-ledger"));
        String profile = ReconcileCommandTest.ACME_HAIKU;
        Files.write(ledger.resolve("usage-2026-11-22.jsonl"), List.of(
                ReconcileCommandTest.line("2026-11-22T08:00:01Z", "r-match", "acme", profile, 100, 20, 200),
                ReconcileCommandTest.line("2026-11-22T09:00:02Z", "r-tokens", "acme", profile, 50, 10, 200),
                ReconcileCommandTest.line("2026-11-22T09:30:00Z", "r-not-logged", "acme", profile, 30, 3, 200),
                ReconcileCommandTest.line("2026-11-22T09:31:00Z", "r-refused", "acme", profile, 0, 0, 403)));
        Files.write(ledger.resolve("usage-2026-11-23.jsonl"), List.of(
                ReconcileCommandTest.line("2026-11-23T00:00:01Z", "r-midnight", "globex", profile, 5, 5, 200)));
    }

    static List<String> fixture() {
        try (InputStream in = ReconcileInvocationLogsTest.class.getResourceAsStream("/invocation-logs/records.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(List<String> records) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(String.join("\n", records).getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    int reconcile(String logs, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("reconcile", "--from", WINDOW_DAY, "--to", WINDOW_DAY,
                "--ledger-dir", ledger.toString(), "--invocation-logs", logs));
        args.addAll(List.of(more));
        return runner.run(Map.of(), args.toArray(String[]::new));
    }

    /** The row of the "needing attention" table for a request id, its cells split on runs of spaces. */
    List<String> rowOf(String requestId) {
        return runner.out().lines().filter(l -> l.startsWith(requestId + " ")).findFirst()
                .map(l -> List.of(l.trim().split("\\s{2,}"))).orElseThrow(() -> new AssertionError(requestId + " not in\n" + runner.out()));
    }

    void assertTheFixturesFindings() {
        assertEquals(List.of("r-tokens", "acme", "TOKENS_DIFFER", ReconcileCommandTest.ACME_HAIKU,
                "arn:aws:sts::111122223333:assumed-role/bedrock-tenant-proxy/i-0abc", "50/12", "50/10"), rowOf("r-tokens"));
        assertEquals(List.of("r-bypass", "-", "BYPASSED", "anthropic.claude-3-haiku-20240307-v1:0",
                "arn:aws:sts::111122223333:assumed-role/DeveloperAccess/jane@example.com", "7/3", "-"), rowOf("r-bypass"));
        assertEquals("globex", rowOf("r-bypass-role").get(1), "a tenant's role session names the tenant");
        assertEquals(List.of("r-not-logged", "acme", "NOT_LOGGED"), rowOf("r-not-logged").subList(0, 3));
        String out = runner.out();
        assertFalse(out.contains("r-match") || out.contains("r-midnight") || out.contains("r-refused") || out.contains("r-after-window"),
                "matches, refusals and records outside the window need no attention:\n" + out);
        assertTrue(out.contains("2 matched, 1 with different token counts, 2 bypassed the proxy, 1 ledger lines not in the invocation logs."), out);
        // per tenant: acme logged r-match and r-tokens (150 input tokens on both sides; 32 output logged, 30 in the ledger)
        assertTrue(out.lines().anyMatch(l -> l.matches("acme\\s+2\\s+1\\s+1\\s+0\\s+1\\s+150\\s+180\\s+32\\s+33")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("globex\\s+2\\s+1\\s+0\\s+1\\s+0\\s+14\\s+5\\s+9\\s+5")), out);
        assertTrue(out.contains("1 unreadable skipped"), out);
    }

    @Test
    void aDirectoryOfPlainAndGzippedLogFilesShowsBypassingCallsAndTokenMismatchesAndExitsOne() throws IOException {
        List<String> records = fixture();
        Path logs = Files.createDirectories(dir.resolve("logs/2026/11/22"));
        Files.write(logs.resolve("first.jsonl"), records.subList(0, 3));
        Files.write(logs.resolve("rest.json.gz"), gzip(records.subList(3, records.size())));
        Files.writeString(logs.resolve("README.txt"), "not a log file");

        assertEquals(1, reconcile(dir.resolve("logs").toString()), runner.out() + runner.err());
        assertTheFixturesFindings();
        assertTrue(runner.out().contains("(2 files, 5 records in the window, 1 unreadable skipped)"), runner.out());
    }

    @Test
    void logsThatAgreeWithTheLedgerExitZero() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("agreeing"));
        Files.write(logs.resolve("one.json"), List.of(fixture().get(0)));
        Files.write(ledger.resolve("usage-2026-11-22.jsonl"), List.of(
                ReconcileCommandTest.line("2026-11-22T08:00:01Z", "r-match", "acme", ReconcileCommandTest.ACME_HAIKU, 100, 20, 200)));
        Files.delete(ledger.resolve("usage-2026-11-23.jsonl"));

        assertEquals(0, reconcile(logs.toString()), runner.out() + runner.err());
        assertTrue(runner.out().contains("1 matched, 0 with different token counts, 0 bypassed the proxy"), runner.out());
    }

    @Test
    void theS3PrefixBedrockDeliversToIsReadHourFolderByHourFolder() throws IOException {
        List<String> records = fixture();
        String hourFolder = "invocations/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/11/";
        try (FakeS3 s3 = new FakeS3(ACCESS_KEY, SECRET)) {
            s3.seed(hourFolder + "22/08/20261122T0805Z_a.json.gz", gzip(records.subList(0, 3)));
            s3.seed(hourFolder + "22/11/20261122T1105Z_b.json.gz", gzip(records.subList(3, records.size())));
            // a week earlier: not even fetched (it would otherwise count as a bypassing call)
            s3.seed(hourFolder + "15/08/20261115T0805Z_c.json.gz", gzip(List.of(records.get(2).replace("r-bypass", "r-old"))));

            assertEquals(1, reconcile("s3://" + FakeS3.BUCKET + "/invocations/", "--s3-endpoint", s3.endpoint().toString()),
                    runner.out() + runner.err());
        }
        assertTheFixturesFindings();
        assertFalse(runner.out().contains("r-old"), runner.out());
        assertTrue(runner.out().contains("invocation logs: s3://" + FakeS3.BUCKET + "/invocations/ (2 files"), runner.out());
    }

    @Test
    void aMissingLogDirectoryExitsTwo() {
        assertEquals(2, reconcile(dir.resolve("nowhere").toString()));
        assertTrue(runner.err().contains("does not exist"), runner.err());
    }
}
