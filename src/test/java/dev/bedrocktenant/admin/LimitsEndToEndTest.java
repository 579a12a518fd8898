package dev.bedrocktenant.admin;

import static dev.bedrocktenant.testing.BedrockCalls.HAIKU;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.bedrocktenant.metering.LedgerFiles;
import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.metering.ledger.Adjustment;
import dev.bedrocktenant.metering.ledger.DayFiles;
import dev.bedrocktenant.metering.ledger.LedgerEntry;
import dev.bedrocktenant.metering.ledger.LedgerLine;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * A proxy started on a ledger that already holds today's spend, through the real SDK: a tenant over its daily
 * budget before the restart is still refused, one reset before it is not; and a tenant that spends its budget
 * is refused until an administrator resets its day.
 */
@QuarkusTest
@TestProfile(LimitsEndToEndTest.Restarted.class)
class LimitsEndToEndTest {

    /** Per JVM, not a temp dir: the test profile and the test class live in different class loaders. */
    static final Path DIR = Path.of("target", "limits-e2e-" + ProcessHandle.current().pid()).toAbsolutePath();
    static final Path LEDGER_DIR = DIR.resolve("ledger");
    static final String TOKEN = "limits-e2e-admin-token";

    /** Its own tenants and its own ledger, written before the proxy starts; no shared tenants file. */
    public static class Restarted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.admin.token", TOKEN, "proxy.unmapped-model", "passthrough",
                    "proxy.pricing-file", Path.of("src/test/resources/pricing-test.json").toAbsolutePath().toString());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SpendBeforeTheRestart.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    public static class SpendBeforeTheRestart implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Instant now = Instant.now();
            try {
                Files.createDirectories(LEDGER_DIR);
                Path tenants = Files.writeString(DIR.resolve("tenants.yaml"), """
                        tenants:
                          wayne: { budget: { dailyUsd: "0.001" } }
                          stark: { budget: { dailyUsd: "0.001" } }
                          umbrella: { budget: { dailyUsd: "0.0001", monthlyUsd: "1000" } }
                        """);
                Files.writeString(new DayFiles(LEDGER_DIR).pathOf(DayFiles.dayOf(now)), spent("wayne", now, "0.002")
                        + spent("stark", now, "0.002")
                        + LedgerLine.encode(LedgerEntry.of(Adjustment.RESET_DAILY.line("stark", "r-reset", now))) + "\n"
                        + spent("stark", now, "0.00005"));
                return Map.of("proxy.tenants-file", tenants.toString(), "proxy.ledger.dir", LEDGER_DIR.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String spent(String tenant, Instant at, String usd) {
            return LedgerLine.encode(TestUsages.usage("r-" + tenant + "-" + usd, at, tenant, HAIKU, new BigDecimal(usd))) + "\n";
        }

        @Override
        public void stop() {
        }
    }

    @TestHTTPResource("/")
    URL proxy;

    private BedrockRuntimeClient client(String tenant) {
        return BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", tenant)), new BedrockClients.SentBody());
    }

    private static void converse(BedrockRuntimeClient client) {
        client.converse(BedrockCalls.converse(HAIKU, "[[sim:input-tokens=1000]] [[sim:output-tokens=100]]"));
    }

    private static JsonPath limits(String tenant) {
        return given().header("Authorization", "Bearer " + TOKEN).queryParam("tenant", tenant)
                .get("/admin/limits").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath reset(String tenant, String period) {
        return given().header("Authorization", "Bearer " + TOKEN).queryParam("tenant", tenant).queryParam("period", period)
                .post("/admin/limits/reset").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aTenantRedBeforeTheRestartIsStillRefusedUntilItsDayIsReset() {
        JsonPath wayne = limits("wayne");
        assertEquals("0.002", wayne.getString("tenants[0].daily.spentUsd"));
        assertEquals("red", wayne.getString("tenants[0].level"));
        assertEquals("memory", wayne.getString("tenants[0].state"));

        try (BedrockRuntimeClient client = client("wayne")) {
            ThrottlingException refused = assertThrows(ThrottlingException.class, () -> converse(client));
            assertTrue(refused.getMessage().contains("dailyUsd"), refused.getMessage());

            assertEquals("green", reset("wayne", "daily").getString("level"));
            converse(client);
        }
    }

    @Test
    void spendBeforeAResetThatWasOnRecordBeforeTheRestartStaysForgotten() {
        assertEquals("0.00005", limits("stark").getString("tenants[0].daily.spentUsd"));
        try (BedrockRuntimeClient client = client("stark")) {
            converse(client);
        }
    }

    @Test
    void aTenantThatSpendsItsBudgetIsRefusedThenServedAgainOnceItsDayIsReset() throws IOException {
        try (BedrockRuntimeClient client = client("umbrella")) {
            converse(client); // 1000 in, 100 out: 0.000375 USD, past its 0.0001
            Awaitility.await().until(() -> limits("umbrella").getInt("tenants[0].inFlight") == 0);
            assertEquals("0.000375", limits("umbrella").getString("tenants[0].daily.spentUsd"));
            assertThrows(ThrottlingException.class, () -> converse(client));

            JsonPath afterReset = reset("umbrella", "daily");
            assertEquals("0", afterReset.getString("daily.spentUsd"));
            assertEquals("0.000375", afterReset.getString("monthly.spentUsd"));
            converse(client);
        }

        // (the usage API answers once the ledger's writer has moved its journal into the day files)
        JsonPath usage = given().header("Authorization", "Bearer " + TOKEN).queryParam("tenant", "umbrella")
                .get("/admin/usage").then().statusCode(200).extract().jsonPath();
        List<LedgerEntry> resets = LedgerFiles.entries(LEDGER_DIR).stream()
                .filter(line -> line.tenant().equals("umbrella") && Adjustment.of(line).isPresent()).toList();
        assertEquals(List.of("ResetDailySpend"), resets.stream().map(LedgerEntry::operation).toList());
        assertEquals(3, usage.getInt("total.requests"), "served, throttled, served: the reset is no request");
    }
}
