package dev.bedrocktenant.metering;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bedrocktenant.metering.ledger.DayFiles;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.PrometheusText;
import dev.bedrocktenant.testing.RawHttp;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * A known mix of calls for three tenants, through the real SDK clients: afterwards /metrics, the
 * usage ledger and the usage API all show exactly the expected tokens and costs (exact decimals),
 * requests by outcome and latency histogram counts.
 */
@QuarkusTest
@TestProfile(MeteringEndToEndTest.OwnLedger.class)
@QuarkusTestResource(TestTenantsFile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeteringEndToEndTest {

    /** Per JVM, not a temp dir: the test profile and the test class live in different class loaders. */
    static final Path LEDGER_DIR = Path.of("target", "metering-e2e-ledger-" + ProcessHandle.current().pid()).toAbsolutePath();
    static final String NOVA_LITE = "amazon.nova-lite-v1:0";

    /** A fresh application (so counters start at zero), its own ledger, and test prices. */
    public static class OwnLedger implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.ledger.dir", LEDGER_DIR.toString(),
                    "proxy.pricing-file", Path.of("src/test/resources/pricing-test.json").toAbsolutePath().toString());
        }
    }

    // USD per token = per-million price / 1e6 (src/test/resources/pricing-test.json)
    static final BigDecimal HAIKU_IN = new BigDecimal("0.25"), HAIKU_OUT = new BigDecimal("1.25"),
            HAIKU_CACHE_READ = new BigDecimal("0.03"), HAIKU_CACHE_WRITE = new BigDecimal("0.30"),
            NOVA_IN = new BigDecimal("0.06"), NOVA_OUT = new BigDecimal("0.24");

    static BigDecimal cost(long tokens, BigDecimal perMillion) {
        return perMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
    }

    @TestHTTPResource("/")
    URL proxy;

    @BeforeAll
    void runTheMix() throws Exception {
        Caller acme = Caller.withHeaders(Map.of("X-Tenant-Id", "acme"));
        Caller globex = Caller.withKey("AKIAGLOBEXEXAMPLE001", "x");
        Caller hooli = Caller.withHeaders(Map.of("X-Bedrock-Tag-TenantID", "hooli"));
        BedrockClients.SentBody sent = new BedrockClients.SentBody();
        try (BedrockRuntimeClient acmeSync = BedrockClients.sync(proxy, acme, sent);
             BedrockRuntimeAsyncClient acmeAsync = BedrockClients.async(proxy, acme, sent);
             BedrockRuntimeClient globexSync = BedrockClients.sync(proxy, globex, sent);
             BedrockRuntimeAsyncClient globexAsync = BedrockClients.async(proxy, globex, sent);
             BedrockRuntimeClient hooliSync = BedrockClients.sync(proxy, hooli, sent)) {
            // acme: every billed operation, with cache tokens, plus a free CountTokens and a hang-up
            acmeSync.converse(BedrockCalls.converse(HAIKU,
                    "[[sim:input-tokens=1000]] [[sim:output-tokens=200]] [[sim:cache-read=300]] [[sim:cache-write=50]]"));
            BedrockCalls.converseStream(acmeAsync, BedrockCalls.converseStream(HAIKU,
                    "[[sim:input-tokens=500]] [[sim:output-tokens=40]] [[sim:cache-read=100]]"));
            acmeSync.invokeModel(BedrockCalls.invokeModel(HAIKU, "[[sim:input-tokens=100]] [[sim:output-tokens=20]]"));
            BedrockCalls.invokeModelStream(acmeAsync, BedrockCalls.invokeModelStream(HAIKU,
                    "[[sim:input-tokens=70]] [[sim:output-tokens=7]]"));
            acmeSync.countTokens(r -> r.modelId(HAIKU).input(CountTokensInput.fromConverse(
                    ConverseTokensRequest.builder().messages(BedrockCalls.userMessage("[[sim:input-tokens=9]]")).build())));
            hangUpMidStream();
            // globex: three small calls, a stream Bedrock drops mid-way …
            for (int i = 0; i < 3; i++) {
                globexSync.converse(BedrockCalls.converse(HAIKU, "[[sim:input-tokens=10]] [[sim:output-tokens=5]]"));
            }
            assertThrows(ExecutionException.class, () -> BedrockCalls.converseStream(globexAsync,
                    BedrockCalls.converseStream(HAIKU, "[[sim:events=4]] [[sim:drop-after=2]]")));
            // … and one that Bedrock ends with an exception event after its 200
            assertThrows(ExecutionException.class, () -> BedrockCalls.converseStream(globexAsync,
                    BedrockCalls.converseStream(HAIKU, "[[sim:events=4]] [[sim:stream-error=modelStreamErrorException@2]]")));
            // hooli: one Nova call, one refused (no profile), one throttled by Bedrock
            hooliSync.invokeModel(BedrockCalls.invokeModel(NOVA_LITE, "[[sim:input-tokens=1000]] [[sim:output-tokens=1000]]"));
            assertThrows(AccessDeniedException.class, () -> hooliSync.converse(BedrockCalls.converse(HAIKU, "Hi")));
            assertThrows(ThrottlingException.class, () -> hooliSync.converse(
                    BedrockCalls.converse(NOVA_LITE, "[[sim:error=ThrottlingException]]")));
        }
        // the hang-up and the drop are recorded when the proxy notices them
        Awaitility.await().until(() -> ledgerLines().size() >= 14);
    }

    private void hangUpMidStream() throws IOException {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"[[sim:events=50]] [[sim:pause-ms=50]]\"}]}]}";
        try (Socket socket = RawHttp.open(proxy, "POST", "/model/" + HAIKU.replace(":", "%3A") + "/converse-stream",
                Map.of("X-Tenant-Id", "acme", "Content-Type", "application/json"), body)) {
            InputStream in = socket.getInputStream();
            RawHttp.readHead(in);
            in.read(new byte[64]);
        }
    }

    static final BigDecimal ACME_COST = cost(1000 + 500 + 100 + 70, HAIKU_IN).add(cost(200 + 40 + 20 + 7, HAIKU_OUT))
            .add(cost(300 + 100, HAIKU_CACHE_READ)).add(cost(50, HAIKU_CACHE_WRITE));
    static final BigDecimal GLOBEX_COST = cost(30, HAIKU_IN).add(cost(15, HAIKU_OUT));
    static final BigDecimal HOOLI_COST = cost(1000, NOVA_IN).add(cost(1000, NOVA_OUT));

    @Test
    void prometheusShowsExactTokensPerTenantAndType() {
        String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
        assertTokens(metrics, "acme", Map.of("input", 1670, "output", 267, "cache_read", 400, "cache_write", 50));
        assertTokens(metrics, "globex", Map.of("input", 30, "output", 15, "cache_read", 0, "cache_write", 0));
        assertTokens(metrics, "hooli", Map.of("input", 1000, "output", 1000, "cache_read", 0, "cache_write", 0));
    }

    @Test
    void prometheusShowsExactCostsPerTenant() {
        String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
        assertEquals(0, ACME_COST.compareTo(PrometheusText.sum(metrics, "bedrock_tenant_cost_usd_total", Map.of("tenant", "acme"))));
        assertEquals(0, GLOBEX_COST.compareTo(PrometheusText.sum(metrics, "bedrock_tenant_cost_usd_total", Map.of("tenant", "globex"))));
        assertEquals(0, HOOLI_COST.compareTo(PrometheusText.sum(metrics, "bedrock_tenant_cost_usd_total", Map.of("tenant", "hooli"))));
    }

    @Test
    void prometheusCountsRequestsByOutcomeAndLatency() {
        String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
        assertRequests(metrics, "acme", "success", 6);
        assertRequests(metrics, "globex", "success", 3);
        assertRequests(metrics, "globex", "server_error", 2);
        assertRequests(metrics, "hooli", "success", 1);
        assertRequests(metrics, "hooli", "rejected", 1);
        assertRequests(metrics, "hooli", "throttled", 1);
        assertEquals(0, BigDecimal.valueOf(2).compareTo(PrometheusText.sum(metrics,
                "bedrock_tenant_usage_unreadable_responses_total", Map.of("tenant", "globex"))), "the drop and the exception event");
        assertEquals(0, BigDecimal.valueOf(14).compareTo(
                PrometheusText.sum(metrics, "bedrock_tenant_request_duration_seconds_count", Map.of())));
        assertEquals(0, BigDecimal.valueOf(1).compareTo(PrometheusText.sum(metrics,
                "bedrock_tenant_request_duration_seconds_bucket", Map.of("tenant", "hooli", "operation", "InvokeModel", "le", "300.0"))));
        assertTrue(PrometheusText.sum(metrics, "bedrock_tenant_time_to_first_token_seconds_count",
                Map.of("tenant", "acme")).intValue() >= 2, "both acme streams report time to first token");
    }

    @Test
    void theLedgerHasOneLinePerRequestWithTheSameFigures() {
        List<JsonNode> lines = ledgerLines();
        assertEquals(14, lines.size());
        assertEquals(14, lines.stream().map(l -> l.get("requestId").asText()).distinct().count(), "no duplicates");
        assertEquals(0, ACME_COST.compareTo(ledgerCost(lines, "acme")));
        assertEquals(0, GLOBEX_COST.compareTo(ledgerCost(lines, "globex")));
        assertEquals(0, HOOLI_COST.compareTo(ledgerCost(lines, "hooli")));
        assertEquals(1670, lines.stream().filter(l -> l.get("tenant").asText().equals("acme"))
                .mapToLong(l -> l.get("inputTokens").asLong(0)).sum());
        assertEquals(3, lines.stream().filter(l -> l.get("partial").asBoolean()).count(),
                "hang-up, drop and exception event are partial");
        List<JsonNode> globexStreams = lines.stream().filter(l -> l.get("tenant").asText().equals("globex")
                && l.get("operation").asText().equals("ConverseStream")).toList();
        assertEquals(2, globexStreams.size());
        for (JsonNode cutOff : globexStreams) { // both ended after content, before the usage: unknown, not zero
            assertTrue(cutOff.get("partial").asBoolean() && cutOff.get("inputTokens").isNull()
                    && cutOff.get("cacheWriteTokens").isNull(), cutOff.toString());
        }
        assertTrue(lines.stream().filter(l -> !l.get("partial").asBoolean())
                .allMatch(l -> l.get("inputTokens").isIntegralNumber() && l.get("cacheWriteTokens").isIntegralNumber()),
                "null only on partial lines");
        JsonNode refused = lines.stream().filter(l -> l.get("outcome").asText().equals("rejected")).findFirst().orElseThrow();
        assertEquals(403, refused.get("status").asInt());
        assertEquals("hooli", refused.get("tenant").asText());
        assertEquals(0, refused.get("inputTokens").asInt(-1), "a refusal used nothing");
    }

    @Test
    void theUsageApiReturnsTheSameTotals() {
        for (Map.Entry<String, BigDecimal> expected : Map.of("acme", ACME_COST, "globex", GLOBEX_COST, "hooli", HOOLI_COST).entrySet()) {
            var total = given().queryParam("tenant", expected.getKey()).get("/admin/usage")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(0, expected.getValue().compareTo(new BigDecimal(total.getString("total.costUsd"))), expected.getKey());
        }
        var acme = given().queryParam("tenant", "acme").queryParam("groupBy", "model").get("/admin/usage")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(1670, acme.getInt("total.inputTokens"));
        assertEquals(267, acme.getInt("total.outputTokens"));
        assertEquals(400, acme.getInt("total.cacheReadTokens"));
        assertEquals(6, acme.getInt("total.requests"));
        assertEquals(1, acme.getInt("total.partialRequests"));
    }

    private static void assertTokens(String metrics, String tenant, Map<String, Integer> expected) {
        expected.forEach((type, tokens) -> assertEquals(0, BigDecimal.valueOf(tokens).compareTo(PrometheusText.sum(metrics,
                "bedrock_tenant_tokens_total", Map.of("tenant", tenant, "type", type))), tenant + " " + type));
    }

    private static void assertRequests(String metrics, String tenant, String outcome, int expected) {
        assertEquals(0, BigDecimal.valueOf(expected).compareTo(PrometheusText.sum(metrics,
                "bedrock_tenant_requests_total", Map.of("tenant", tenant, "outcome", outcome))), tenant + " " + outcome);
    }

    static BigDecimal ledgerCost(List<JsonNode> lines, String tenant) {
        return lines.stream().filter(l -> l.get("tenant").asText().equals(tenant))
                .map(l -> new BigDecimal(l.get("costUsd").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static List<JsonNode> ledgerLines() {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (Path file : new DayFiles(LEDGER_DIR).all()) { // (not the journal beside them)
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        lines.add(json.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
