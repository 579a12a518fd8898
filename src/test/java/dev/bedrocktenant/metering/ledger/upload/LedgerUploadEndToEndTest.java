package dev.bedrocktenant.metering.ledger.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.PrometheusText;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The packaged proxy with {@code proxy.ledger.s3-uri} set, its own credentials and a bucket on {@link FakeS3}: a day
 * an earlier run left in the ledger directory goes up once the bucket answers, byte for byte; requests are served at
 * full speed while the bucket hangs; the current day's lines follow.
 */
@QuarkusTest
@TestProfile(LedgerUploadEndToEndTest.Uploading.class)
@QuarkusTestResource(TestTenantsFile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerUploadEndToEndTest {

    static final int S3_PORT = 18852;
    /** How long an upload to a bucket that hangs lasts: requests that waited for it would take this long. */
    static final int UPLOAD_TIMEOUT_SECONDS = 10;
    static final Path LEDGER_DIR = Path.of("target", "ledger-upload-e2e-" + ProcessHandle.current().pid()).toAbsolutePath();
    /** Over whatever the time of day the test runs at (a day is over only a minute after its end). */
    static final LocalDate EARLIER_DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    static final String EARLIER_LINES = """
            {"ts":"%1$sT08:00:00.000Z","requestId":"earlier-1","tenant":"acme","model":"m","profileArn":null,\
            "operation":"Converse","inputTokens":1,"outputTokens":2,"cacheReadTokens":0,"cacheWriteTokens":0,\
            "costUsd":"0.0001","status":200,"outcome":"success","partial":false,"latencyMs":12}
            {"ts":"%1$sT09:00:00.000Z","requestId":"earlier-2","tenant":"acme","model":"m","profileArn":null,\
            "operation":"Converse","inputTokens":3,"outputTokens":4,"cacheReadTokens":0,"cacheWriteTokens":0,\
            "costUsd":"0.0002","status":200,"outcome":"success","partial":false,"latencyMs":13}
            """.formatted(EARLIER_DAY);

    /** A ledger directory with a day an earlier run left, uploaded to a bucket that is not there yet. */
    public static class Uploading implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(LEDGER_DIR);
                Files.writeString(LEDGER_DIR.resolve("usage-" + EARLIER_DAY + ".jsonl"), EARLIER_LINES, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("proxy.ledger.dir", LEDGER_DIR.toString(),
                    "proxy.ledger.s3-uri", "s3://" + FakeS3.BUCKET + "/fleet/",
                    "proxy.ledger.s3-endpoint", "http://127.0.0.1:" + S3_PORT,
                    "proxy.ledger.s3-path-style", "true",
                    "proxy.ledger.upload-interval", "200ms",
                    "proxy.ledger.upload-current-day-interval", "1s",
                    "proxy.ledger.upload-retry-initial-delay", "100ms",
                    "proxy.ledger.upload-retry-max-delay", "500ms",
                    "proxy.ledger.upload-timeout", UPLOAD_TIMEOUT_SECONDS + "s");
        }
    }

    @TestHTTPResource("/")
    URL proxy;

    FakeS3 s3;

    @BeforeAll
    void startTheBucketAfterTheProxy() {
        // the proxy signs with its own credentials (application.properties, %test): the fake knows only those
        s3 = new FakeS3("AKIASIMULATOR0000001", "simulator-secret-key", S3_PORT);
    }

    @AfterAll
    void stopTheBucket() {
        s3.close();
    }

    private static String keyOf(LocalDate day) throws IOException {
        return "fleet/dt=" + day + "/" + Files.readString(LEDGER_DIR.resolve(InstanceId.FILE_NAME)).strip() + ".jsonl";
    }

    private static BigDecimal uploads(String outcome) {
        return PrometheusText.sum(RestAssured.get("/metrics").asString(), "bedrock_tenant_ledger_uploads_total",
                Map.of("outcome", outcome));
    }

    @Test
    void theEarlierDayGoesUpByteForByteRequestsNeverWaitForTheBucketAndTodayFollows() throws Exception {
        String earlierKey = keyOf(EARLIER_DAY);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> s3.object(earlierKey).isPresent());
        assertArrayEquals(EARLIER_LINES.getBytes(StandardCharsets.UTF_8), s3.object(earlierKey).orElseThrow().bytes());
        assertTrue(uploads("success").signum() > 0);

        s3.hangs(true); // every upload now waits out its timeout
        int putsBefore = s3.puts().size();
        try (BedrockRuntimeClient acme = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "acme")),
                new BedrockClients.SentBody())) {
            acme.converse(BedrockCalls.converse(BedrockCalls.HAIKU, "Hi")); // today's file: due for upload
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> s3.puts().size() > putsBefore); // under way
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                acme.converse(BedrockCalls.converse(BedrockCalls.HAIKU, "Hi " + i));
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMs < UPLOAD_TIMEOUT_SECONDS * 1000 / 2, "20 requests took " + tookMs + " ms while an upload hung");
            assertTrue(s3.objects().keySet().stream().noneMatch(k -> k.contains("dt=" + LocalDate.now(ZoneOffset.UTC))),
                    "the upload under way had not been answered");
        }

        s3.hangs(false);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path todayFile = LEDGER_DIR.resolve("usage-" + today + ".jsonl");
        Awaitility.await().atMost(Duration.ofSeconds(3L * UPLOAD_TIMEOUT_SECONDS)).until(() -> Files.exists(todayFile)
                && s3.object(keyOf(today)).isPresent()
                && new String(s3.object(keyOf(today)).get().bytes(), StandardCharsets.UTF_8).lines()
                        .filter(line -> line.contains("\"tenant\":\"acme\"")).count() == 21);
        assertTrue(uploads("failure").signum() > 0, "the bucket that hung (and was not there at start) is counted");
        assertEquals(1, s3.objects().keySet().stream().filter(k -> k.contains("dt=" + EARLIER_DAY)).count(),
                "the earlier day once, under one name");
        assertArrayEquals(EARLIER_LINES.getBytes(StandardCharsets.UTF_8), s3.object(earlierKey).orElseThrow().bytes());
    }
}
