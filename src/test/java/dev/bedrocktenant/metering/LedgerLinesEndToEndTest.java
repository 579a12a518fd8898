package dev.bedrocktenant.metering;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.bedrocktenant.metering.ledger.LedgerEntry;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.PrometheusText;
import dev.bedrocktenant.testing.RawHttp;
import dev.bedrocktenant.testing.TestTenantsFile;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;

/**
 * Every way a request can end, through the real SDK (or a raw socket where no SDK would go), leaves exactly one
 * ledger line whose tokens say what was used: 0 where nothing was, null (on a partial line, with the unreadable
 * counter moved) only where tokens were used but never read.
 */
@QuarkusTest
@TestProfile(LedgerLinesEndToEndTest.OwnLedger.class)
@QuarkusTestResource(TestTenantsFile.class)
class LedgerLinesEndToEndTest {

    static final Path LEDGER_DIR = Path.of("target", "ledger-lines-e2e-" + ProcessHandle.current().pid()).toAbsolutePath();
    static final String NOVA_LITE = "amazon.nova-lite-v1:0";
    static final String UNREADABLE = "bedrock_tenant_usage_unreadable_responses_total";
    static final Long ZERO = 0L, UNKNOWN = null;

    public static class OwnLedger implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.ledger.dir", LEDGER_DIR.toString(), "proxy.unmapped-model", "reject");
        }
    }

    @TestHTTPResource("/")
    URL proxy;

    @Test
    void anUnknownTenantIsRefusedUsingNothingAndAccountedToNoTenantItMadeUp() {
        LedgerEntry line = lineOf(() -> assertThrows(AccessDeniedException.class,
                () -> converse(Caller.withHeaders(Map.of("X-Tenant-Id", "initech")), HAIKU, "Hi")));
        assertRefused(line, "_unknown", HAIKU, "Converse", 403);
        assertFalse(metrics().contains("tenant=\"initech\""), "no label value from an unknown header");
    }

    @Test
    void anUnknownOperationIsAccountedToTheTenantItsHeaderNamesWithTheModelOfItsPath() {
        String metricsBefore = metrics();
        LedgerEntry line = lineOf(() -> assertEquals(400, raw("POST", "/model/" + HAIKU.replace(":", "%3A") + "/summon",
                Map.of("X-Tenant-Id", "acme")).status()));
        assertRefused(line, "acme", HAIKU, "Unknown", 400);
        assertEquals(1, moved(metricsBefore, "bedrock_tenant_requests_total",
                Map.of("tenant", "acme", "model", HAIKU, "operation", "Unknown", "outcome", "rejected")));

        LedgerEntry unknownTenant = lineOf(() -> raw("POST", "/model/m/summon", Map.of("X-Tenant-Id", "initech")));
        assertRefused(unknownTenant, "_unknown", "m", "Unknown", 400);
    }

    @Test
    void aPathNoRouteServesIsRefusedAndMeteredToo() {
        LedgerEntry line = lineOf(() -> assertEquals(400, raw("GET", "/nothing-here", Map.of("X-Tenant-Id", "globex")).status()));
        assertRefused(line, "globex", "_none", "Unknown", 400);
    }

    @Test
    void aMalformedPathIsRefusedWithoutAModelWhetherTheRouterOrTheProxyFindsIt() {
        // the router cannot decode %ZZ at all; %E2%28 decodes, but not to UTF-8, which the proxy finds
        for (String path : List.of("/model/anthropic%ZZclaude/converse", "/model/anthropic%E2%28claude/converse")) {
            LedgerEntry line = lineOf(() -> assertEquals(400, raw("POST", path, Map.of("X-Tenant-Id", "acme")).status()));
            assertRefused(line, "acme", "_none", "Unknown", 400);
        }
    }

    @Test
    void aModelTheTenantIsNotAllowedIsRefusedUsingNothing() {
        LedgerEntry line = lineOf(() -> assertThrows(AccessDeniedException.class,
                () -> converse(Caller.withKey("AKIAGLOBEXEXAMPLE001", "x"), NOVA_LITE, "Hi")));
        assertRefused(line, "globex", NOVA_LITE, "Converse", 403);
    }

    @Test
    void aModelWithNoFittingProfileIsRefusedUsingNothing() {
        LedgerEntry line = lineOf(() -> assertThrows(AccessDeniedException.class,
                () -> converse(Caller.withHeaders(Map.of("X-Bedrock-Tag-TenantID", "hooli")), HAIKU, "Hi")));
        assertRefused(line, "hooli", HAIKU, "Converse", 403);
    }

    @Test
    void aBedrockErrorBeforeAnyOutputUsedNothing() {
        String metricsBefore = metrics();
        LedgerEntry line = lineOf(() -> assertThrows(InternalServerException.class,
                () -> converse(acme(), HAIKU, "[[sim:error=InternalServerException]]")));
        assertLine(line, 500, Outcome.SERVER_ERROR, false, ZERO);
        assertEquals(0, moved(metricsBefore, UNREADABLE, Map.of("tenant", "acme")));
    }

    @Test
    void countTokensUsesNone() {
        LedgerEntry line = lineOf(() -> {
            try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, acme(), new BedrockClients.SentBody())) {
                bedrock.countTokens(r -> r.modelId(HAIKU).input(CountTokensInput.fromConverse(ConverseTokensRequest.builder()
                        .messages(BedrockCalls.userMessage("[[sim:input-tokens=9]]")).build())));
            }
        });
        assertEquals("CountTokens", line.operation());
        assertLine(line, 200, Outcome.SUCCESS, false, ZERO);
    }

    @Test
    void aStreamEndedByAnExceptionEventAfterContentUsedTokensThatWereNeverReported() {
        assertEndedEarly(() -> failingStream("[[sim:events=4]] [[sim:stream-error=modelStreamErrorException@2]]"),
                Outcome.SERVER_ERROR, UNKNOWN);
    }

    @Test
    void aStreamThrottledByAnExceptionEventBeforeContentUsedNothingButIsPartial() {
        assertEndedEarly(() -> failingStream("[[sim:stream-error=throttlingException@0]]"), Outcome.THROTTLED, ZERO);
    }

    @Test
    void aStreamBedrockBrokeOffAfterContentUsedTokensThatWereNeverReported() {
        assertEndedEarly(() -> failingStream("[[sim:events=4]] [[sim:drop-after=2]]"), Outcome.SERVER_ERROR, UNKNOWN);
        assertEndedEarly(() -> failingStream("[[sim:drop-after=0]]"), Outcome.SERVER_ERROR, ZERO);
    }

    @Test
    void aStreamBedrockCorruptedAfterContentUsedTokensThatWereNeverReported() {
        assertEndedEarly(() -> failingStream("[[sim:events=4]] [[sim:garbage-after=2]]"), Outcome.SERVER_ERROR, UNKNOWN);
    }

    @Test
    void aClientHangingUpAfterContentUsedTokensThatWereNeverReported() {
        assertEndedEarly(() -> hangUp("[[sim:events=50]] [[sim:pause-ms=50]]", 1000), Outcome.SUCCESS, UNKNOWN);
    }

    @Test
    void aClientHangingUpOnAnExceptionEventIsOnRecordWithThatFailure() {
        // the simulator holds the stream open after the event: the proxy learns of the hang-up before Bedrock's end
        assertEndedEarly(() -> hangUpOn("[[sim:events=4]] [[sim:pause-ms=300]]"
                + " [[sim:stream-error=modelStreamErrorException@2]]", "modelStreamErrorException"),
                Outcome.SERVER_ERROR, UNKNOWN);
    }

    @Test
    void aClientHangingUpBeforeAnyContentUsedNothingButIsPartial() {
        assertEndedEarly(() -> hangUp("[[sim:events=2]] [[sim:pause-ms=3000]]", 0), Outcome.SUCCESS, ZERO);
    }

    @Test
    void aClientHangingUpBeforeBedrockAnsweredUsedNothingButIsPartial() {
        LedgerEntry line = lineOf(() -> {
            try (Socket socket = RawHttp.open(proxy, "POST", "/model/" + HAIKU.replace(":", "%3A") + "/converse",
                    Map.of("X-Tenant-Id", "acme", "Content-Type", "application/json"), conversation("[[sim:delay-ms=3000]]"))) {
                Thread.sleep(300); // forwarded by now; Bedrock is still thinking
            }
        });
        assertEquals("acme", line.tenant());
        assertTrue(line.partial(), line.toString());
        assertEquals(TokenUsage.NONE, line.tokens());
    }

    private static Caller acme() {
        return Caller.withHeaders(Map.of("X-Tenant-Id", "acme"));
    }

    private void converse(Caller caller, String model, String prompt) {
        try (BedrockRuntimeClient bedrock = BedrockClients.sync(proxy, caller, new BedrockClients.SentBody())) {
            bedrock.converse(BedrockCalls.converse(model, prompt));
        }
    }

    /** A ConverseStream whose end the SDK reports as a failure. */
    private void failingStream(String prompt) {
        try (BedrockRuntimeAsyncClient bedrock = BedrockClients.async(proxy, acme(), new BedrockClients.SentBody())) {
            assertThrows(ExecutionException.class,
                    () -> BedrockCalls.converseStream(bedrock, BedrockCalls.converseStream(HAIKU, prompt)));
        }
    }

    private RawHttp.Response raw(String method, String path, Map<String, String> headers) {
        try {
            return RawHttp.exchange(proxy, method, path, headers, "{}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a ConverseStream, reads its head and at least {@code bodyBytes} of its body, and hangs up. */
    private void hangUp(String prompt, int bodyBytes) throws IOException {
        hangUpWhen(prompt, body -> body.length() >= bodyBytes);
    }

    /** Starts a ConverseStream, reads until {@code marker} has come, and hangs up. */
    private void hangUpOn(String prompt, String marker) throws IOException {
        hangUpWhen(prompt, body -> body.indexOf(marker) >= 0);
    }

    /** Starts a ConverseStream, reads its head, then its body until {@code enough} holds of what came, and hangs up. */
    private void hangUpWhen(String prompt, Predicate<StringBuilder> enough) throws IOException {
        try (Socket socket = RawHttp.open(proxy, "POST", "/model/" + HAIKU.replace(":", "%3A") + "/converse-stream",
                Map.of("X-Tenant-Id", "acme", "Content-Type", "application/json"), conversation(prompt))) {
            InputStream in = socket.getInputStream();
            assertTrue(RawHttp.readHead(in).startsWith("HTTP/1.1 200"));
            StringBuilder body = new StringBuilder(); // one char a byte (ISO-8859-1): its length counts bytes
            byte[] buffer = new byte[256];
            while (!enough.test(body)) {
                int n = in.read(buffer);
                assertTrue(n > 0, "the stream went on");
                body.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static String conversation(String prompt) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"" + prompt + "\"}]}]}";
    }

    /** Runs a request and returns the one ledger line it added (a hang-up is on record once the proxy notices). */
    private static LedgerEntry lineOf(Executable request) {
        Set<String> before = entries().stream().map(LedgerEntry::requestId).collect(Collectors.toSet());
        try {
            request.execute();
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
        List<LedgerEntry> added = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> entries().stream().filter(e -> !before.contains(e.requestId())).toList(), lines -> !lines.isEmpty());
        assertEquals(1, added.size(), added.toString());
        return added.get(0);
    }

    private static List<LedgerEntry> entries() {
        try {
            return LedgerFiles.entries(LEDGER_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A ConverseStream that started (200) and ended early: its line is partial, and the unreadable counter moved
     * exactly when its tokens are unknown.
     */
    private static void assertEndedEarly(Executable request, Outcome outcome, Long eachCount) {
        String metricsBefore = metrics();
        LedgerEntry line = lineOf(request);
        assertEquals("ConverseStream", line.operation());
        assertLine(line, 200, outcome, true, eachCount);
        assertEquals(eachCount == UNKNOWN ? 1 : 0, moved(metricsBefore, UNREADABLE, Map.of("tenant", "acme", "model", HAIKU)));
    }

    private static void assertRefused(LedgerEntry line, String tenant, String model, String operation, int status) {
        assertEquals(tenant, line.tenant());
        assertEquals(model, line.model());
        assertEquals(operation, line.operation());
        assertLine(line, status, Outcome.REJECTED, false, ZERO);
    }

    /** @param eachCount what every token field holds: 0, or null (unknown) */
    private static void assertLine(LedgerEntry line, int status, Outcome outcome, boolean partial, Long eachCount) {
        OptionalLong count = eachCount == null ? OptionalLong.empty() : OptionalLong.of(eachCount);
        assertEquals(new TokenUsage(count, count, count, count), line.tokens(), line.toString());
        assertEquals(status, line.status(), line.toString());
        assertEquals(outcome, line.outcome(), line.toString());
        assertEquals(partial, line.partial(), line.toString());
        assertEquals(0, BigDecimal.ZERO.compareTo(line.costUsd()), line.toString());
    }

    private static String metrics() {
        return given().get("/metrics").then().statusCode(200).extract().asString();
    }

    private static int moved(String before, String metric, Map<String, String> labels) {
        return PrometheusText.sum(metrics(), metric, labels).subtract(PrometheusText.sum(before, metric, labels)).intValueExact();
    }
}
