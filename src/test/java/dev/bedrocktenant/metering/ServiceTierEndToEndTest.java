package dev.bedrocktenant.metering;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.bedrocktenant.metering.ledger.LedgerEntry;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.testing.PrometheusText;
import dev.bedrocktenant.testing.TestTenantsFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The service tier Bedrock reports as served, and cache writes split by TTL, through the real SDK and the simulator
 * for every billed operation: the ledger line names the tier and both cache-write counts, and the cost is at that
 * tier's prices and each TTL's (exact decimals from the prices below), a tier without prices of its own at the
 * default's and counted apart.
 */
@QuarkusTest
@TestProfile(ServiceTierEndToEndTest.TierPrices.class)
@QuarkusTestResource(TestTenantsFile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceTierEndToEndTest {

    static final Path LEDGER_DIR = Path.of("target", "service-tier-e2e-ledger-" + ProcessHandle.current().pid()).toAbsolutePath();

    /** Its own ledger, and Haiku priced with priority and flex tiers and a one-hour cache-write price. */
    public static class TierPrices implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.ledger.dir", LEDGER_DIR.toString(),
                    "proxy.pricing-file", Path.of("src/test/resources/pricing-tiers-test.json").toAbsolutePath().toString());
        }
    }

    /** src/test/resources/pricing-tiers-test.json, USD per million: input, output, cache read, 5-minute and 1-hour writes. */
    static final Map<String, List<String>> RATES = Map.of(
            "default", List.of("0.25", "1.25", "0.03", "0.30", "0.50"),
            "priority", List.of("0.4375", "2.1875", "0.0525", "0.525", "0.875"),
            "flex", List.of("0.125", "0.625", "0.125", "0.125", "0.125")); // its cache prices left out: its input price

    @TestHTTPResource("/")
    URL proxy;

    private BedrockRuntimeClient sync;
    private BedrockRuntimeAsyncClient async;

    @BeforeAll
    void clients() {
        Caller acme = Caller.withHeaders(Map.of("X-Tenant-Id", "acme"));
        BedrockClients.SentBody sent = new BedrockClients.SentBody();
        sync = BedrockClients.sync(proxy, acme, sent);
        async = BedrockClients.async(proxy, acme, sent);
    }

    @AfterAll
    void close() {
        sync.close();
        async.close();
    }

    /** Each call is told apart in the ledger by its input tokens. */
    @ParameterizedTest(name = "{0} served in {1}")
    @CsvSource({
            "Converse, priority, 1001", "Converse, flex, 1002", "Converse, default, 1003", "Converse, turbo, 1004",
            "ConverseStream, priority, 1011", "ConverseStream, flex, 1012", "ConverseStream, default, 1013", "ConverseStream, turbo, 1014",
            "InvokeModel, priority, 1021", "InvokeModel, flex, 1022", "InvokeModel, default, 1023", "InvokeModel, turbo, 1024",
            "InvokeModelWithResponseStream, priority, 1031", "InvokeModelWithResponseStream, flex, 1032",
            "InvokeModelWithResponseStream, default, 1033", "InvokeModelWithResponseStream, turbo, 1034"})
    void theServedTierIsOnRecordAndPricedAtItsOwnPrices(String operation, String tier, long input) throws Exception {
        LedgerEntry line = call(operation, input, "[[sim:output-tokens=300]] [[sim:served-tier=" + tier + "]]");
        assertEquals(Optional.of(tier), line.serviceTier());
        List<String> rates = RATES.getOrDefault(tier, RATES.get("default")); // turbo: no prices of its own
        assertCost(cost(input, rates.get(0)).add(cost(300, rates.get(1))), line, operation + " " + tier);
    }

    /** Both TTLs in one response: each priced at its own rate, the ledger keeping the total and both parts. */
    @ParameterizedTest(name = "{0} served in {1}")
    @CsvSource({"Converse, default, 2001", "ConverseStream, priority, 2011", "InvokeModel, default, 2021",
            "InvokeModelWithResponseStream, priority, 2031"})
    void cacheWritesArePricedByTheirTtl(String operation, String tier, long input) throws Exception {
        LedgerEntry line = call(operation, input, "[[sim:output-tokens=40]] [[sim:cache-read=500]] [[sim:cache-write=3000]]"
                + " [[sim:cache-write-1h=1000]] [[sim:served-tier=" + tier + "]]");
        assertEquals(OptionalLong.of(3000), line.tokens().cacheWriteTokens());
        assertEquals(OptionalLong.of(2000), line.tokens().cacheWrite5mTokens());
        assertEquals(OptionalLong.of(1000), line.tokens().cacheWrite1hTokens());
        List<String> rates = RATES.get(tier);
        assertCost(cost(input, rates.get(0)).add(cost(40, rates.get(1))).add(cost(500, rates.get(2)))
                .add(cost(2000, rates.get(3))).add(cost(1000, rates.get(4))), line, operation + " " + tier);
    }

    @Test
    void aResponseThatDoesNotSplitItsCacheWritesHasThemAllFiveMinuteOnes() throws Exception {
        LedgerEntry line = call("Converse", 3001, "[[sim:output-tokens=40]] [[sim:cache-write=700]]");
        assertEquals(OptionalLong.of(700), line.tokens().cacheWrite5mTokens());
        assertEquals(OptionalLong.of(0), line.tokens().cacheWrite1hTokensKnown());
        assertCost(cost(3001, "0.25").add(cost(40, "1.25")).add(cost(700, "0.30")), line, "Converse");
    }

    @Test
    void prometheusCountsRequestsByServedTierAndThoseWithoutPricesOfTheirOwn() throws Exception {
        call("Converse", 4001, "[[sim:served-tier=flex]]");
        call("InvokeModel", 4002, "[[sim:served-tier=reserved]]");
        call("ConverseStream", 4003, "[[sim:served-tier=turbo]]");
        String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
        Map<String, String> acmeHaiku = Map.of("tenant", "acme", "model", HAIKU);
        assertEquals(1, tierCount(metrics, "bedrock_tenant_service_tier_unpriced_requests_total", acmeHaiku, "reserved"));
        assertEquals(0, tierCount(metrics, "bedrock_tenant_service_tier_unpriced_requests_total", acmeHaiku, "flex"));
        // a tier Bedrock's model does not list is labelled _other (the ledger keeps its name)
        assertEquals(0, tierCount(metrics, "bedrock_tenant_service_tier_requests_total", acmeHaiku, "turbo"));
        assertTrue(tierCount(metrics, "bedrock_tenant_service_tier_requests_total",
                acmeHaiku, "_other") >= 1);
        assertTrue(tierCount(metrics, "bedrock_tenant_service_tier_requests_total",
                acmeHaiku, "flex") >= 1);
    }

    private static int tierCount(String metrics, String metric, Map<String, String> labels, String tier) {
        Map<String, String> withTier = new HashMap<>(labels);
        withTier.put("service_tier", tier);
        return PrometheusText.sum(metrics, metric, withTier).intValue();
    }

    static BigDecimal cost(long tokens, String perMillion) {
        return new BigDecimal(perMillion).multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
    }

    private static void assertCost(BigDecimal expected, LedgerEntry line, String call) {
        assertEquals(0, expected.compareTo(line.costUsd()), call + ": " + expected + " expected, " + line.costUsd());
    }

    /** Makes the call and returns its ledger line, found by its (unique) input tokens. */
    private LedgerEntry call(String operation, long input, String directives) throws Exception {
        String prompt = "[[sim:input-tokens=" + input + "]] " + directives;
        switch (operation) {
            case "Converse" -> sync.converse(BedrockCalls.converse(HAIKU, prompt));
            case "ConverseStream" -> BedrockCalls.converseStream(async, BedrockCalls.converseStream(HAIKU, prompt));
            case "InvokeModel" -> sync.invokeModel(BedrockCalls.invokeModel(HAIKU, prompt));
            case "InvokeModelWithResponseStream" -> BedrockCalls.invokeModelStream(async, BedrockCalls.invokeModelStream(HAIKU, prompt));
            default -> throw new IllegalArgumentException(operation);
        }
        AtomicReference<LedgerEntry> found = new AtomicReference<>();
        Awaitility.await().until(() -> {
            LedgerFiles.entries(LEDGER_DIR).stream().filter(e -> e.tokens().inputTokens().equals(OptionalLong.of(input)))
                    .findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        assertEquals(operation, found.get().operation());
        return found.get();
    }
}
