package dev.bedrocktenant.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.budget.AlertLevel;
import dev.bedrocktenant.budget.AlertLevels;
import dev.bedrocktenant.budget.Claim;
import dev.bedrocktenant.budget.Estimate;
import dev.bedrocktenant.budget.LevelChange;
import dev.bedrocktenant.budget.MemoryStateStore;
import dev.bedrocktenant.budget.RecordedLevelChanges;
import dev.bedrocktenant.budget.TenantCounters;
import dev.bedrocktenant.metering.LedgerFiles;
import dev.bedrocktenant.metering.ledger.LedgerEntry;
import dev.bedrocktenant.metering.ledger.TestLedgerConfig;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantDirectory;
import dev.bedrocktenant.tenant.Tenants;
import dev.bedrocktenant.tenant.TenantsFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both routes over HTTP, on a Router of their own (no Quarkus), with a real ledger and the memory store. */
class LimitsAdminRouteTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:30Z");
    private static final String TOKEN = "s3cret-admin-token";
    private static final Tenants TENANTS = new TenantsFile(name -> Optional.empty()).parse("""
            tiers:
              free: { limits: { requestsPerMinute: 5, tokensPerMinute: 10000, maxConcurrent: 2 },
                      budget: { dailyUsd: "1.00", monthlyUsd: "10.00" } }
            tenants:
              acme: { tier: free }
              globex: { budget: { monthlyUsd: "50" }, enforce: false }
              plain: {}
            """);

    @TempDir
    Path dir;
    private Vertx vertx;
    private HttpServer server;
    private UsageLedger ledger;
    private final HttpClient client = HttpClient.newHttpClient();
    private final MemoryStateStore store = new MemoryStateStore();
    private final RecordedLevelChanges changes = new RecordedLevelChanges();
    private final AlertLevels levels = new AlertLevels(store, () -> List.of(new BigDecimal("0.7"), new BigDecimal("0.9"),
            BigDecimal.ONE), new SimpleMeterRegistry(), changes);

    @BeforeEach
    void start() throws Exception {
        ledger = new UsageLedger(TestLedgerConfig.in(dir), new SimpleMeterRegistry());
        vertx = Vertx.vertx();
        server = serve(new BearerToken(Optional.of(TOKEN)));
    }

    private HttpServer serve(BearerToken token) throws Exception {
        Router router = Router.router(vertx);
        new LimitsAdminRoute(TenantDirectory.of(TENANTS), store, List.of(new BigDecimal("0.7"), new BigDecimal("0.9"),
                BigDecimal.ONE), new LimitsReset(ledger, store, levels), token, Clock.fixed(NOW, ZoneOffset.UTC)).register(router);
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ledger.close();
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        return new JsonObject(response.body());
    }

    private static void assertRefused(int status, String errorType, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(errorType, response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(!response.body().contains(TOKEN), "never echo the token");
    }

    private TenantCounters counters(String tenant) {
        return store.counters(tenant, NOW).toCompletableFuture().join();
    }

    /** acme: one request in flight this minute, 0.95 of its 1.00 USD spent today and 5 this month. */
    private void acmeOrange() {
        Tenant acme = TENANTS.byId("acme").orElseThrow();
        store.restore("acme", NOW, new BigDecimal("0.95"), new BigDecimal("5"));
        assertTrue(store.admit(Claim.of(acme, new Estimate(100, 50, new BigDecimal("0.01")), NOW)).toCompletableFuture().join().admitted());
    }

    @Test
    void showsEachTenantWithLimitsOrABudgetItsCountersNowAndTheLevelTheyMake() throws Exception {
        acmeOrange();

        JsonObject body = ok(send("GET", "/admin/limits", "Bearer " + TOKEN));

        assertEquals(NOW.toString(), body.getString("at"));
        assertEquals(2, body.getJsonArray("tenants").size(), "acme and globex; plain has neither");
        assertEquals(new JsonObject("""
                {"tenant":"acme","tier":"free","enforce":true,
                 "limits":{"requestsPerMinute":5,"tokensPerMinute":10000,"maxConcurrent":2},
                 "budget":{"dailyUsd":"1.00","monthlyUsd":"10.00"},
                 "minute":{"requests":1,"tokens":150,"resetsAt":"2026-12-03T12:01:00Z"},
                 "inFlight":1,
                 "daily":{"spentUsd":"0.95","reservedUsd":"0.01","usedRatio":0.95,"resetsAt":"2026-12-04T00:00:00Z"},
                 "monthly":{"spentUsd":"5","reservedUsd":"0.01","usedRatio":0.5,"resetsAt":"2027-01-01T00:00:00Z"},
                 "level":"orange","state":"memory"}"""), body.getJsonArray("tenants").getJsonObject(0));
        JsonObject globex = body.getJsonArray("tenants").getJsonObject(1);
        assertEquals("globex", globex.getString("tenant"));
        assertEquals(false, globex.getBoolean("enforce"));
        assertEquals(null, globex.getJsonObject("limits"));
        assertEquals(null, globex.getJsonObject("daily").getValue("usedRatio"), "no daily budget");
        assertEquals("green", globex.getString("level"));
    }

    @Test
    void oneTenantByIdEvenWithoutLimitsAndAnUnknownOneOrParameterIsAValidationError() throws Exception {
        JsonObject plain = ok(send("GET", "/admin/limits?tenant=plain", "Bearer " + TOKEN)).getJsonArray("tenants").getJsonObject(0);
        assertEquals("plain", plain.getString("tenant"));
        assertEquals(null, plain.getValue("budget"));
        assertEquals(null, plain.getValue("level"));

        assertRefused(400, "ValidationException", send("GET", "/admin/limits?tenant=initech", "Bearer " + TOKEN));
        assertRefused(400, "ValidationException", send("GET", "/admin/limits?tennant=acme", "Bearer " + TOKEN));
    }

    @Test
    void bothRoutesNeedTheTokenWhenOneIsSet() throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong", TOKEN}) {
            assertRefused(403, "AccessDeniedException", send("GET", "/admin/limits", authorization));
            assertRefused(403, "AccessDeniedException", send("POST", "/admin/limits/reset?tenant=acme&period=daily", authorization));
        }
        assertEquals(List.of(), ledgerLines());
    }

    @Test
    void aResetIsRefusedWhileNoTokenIsConfiguredThoughTheViewIsOpen() throws Exception {
        acmeOrange();
        server = serve(new BearerToken(Optional.empty()));

        assertEquals(2, ok(send("GET", "/admin/limits", null)).getJsonArray("tenants").size());
        HttpResponse<String> refused = send("POST", "/admin/limits/reset?tenant=acme&period=daily", null);

        assertRefused(403, "AccessDeniedException", refused);
        assertTrue(new JsonObject(refused.body()).getString("message").contains("proxy.admin.token"), refused.body());
        assertEquals(new BigDecimal("0.95"), counters("acme").spentToday());
        assertEquals(List.of(), ledgerLines());
    }

    @Test
    void aResetOfTheDayIsWrittenToTheLedgerThenAppliedAndTheLevelFallsBack() throws Exception {
        store.restore("acme", NOW, new BigDecimal("1.2"), new BigDecimal("6.2"));
        levels.update(TENANTS.byId("acme").orElseThrow(), counters("acme"), NOW); // red

        HttpResponse<String> response = send("POST", "/admin/limits/reset?tenant=acme&period=daily", "Bearer " + TOKEN);

        JsonObject body = ok(response);
        assertEquals("daily", body.getString("reset"));
        assertEquals("acme", body.getString("tenant"));
        assertEquals("0", body.getJsonObject("daily").getString("spentUsd"));
        assertEquals("6.2", body.getJsonObject("monthly").getString("spentUsd"), "the month's spend stays");
        assertEquals("green", body.getString("level"));
        assertEquals(BigDecimal.ZERO, counters("acme").spentToday());

        List<LedgerEntry> lines = ledgerLines();
        assertEquals(1, lines.size());
        assertEquals("ResetDailySpend", lines.get(0).operation());
        assertEquals("acme", lines.get(0).tenant());
        assertEquals(response.headers().firstValue("x-amzn-RequestId").orElseThrow(), lines.get(0).requestId());

        LevelChange change = changes.fired().get(changes.fired().size() - 1);
        assertEquals(AlertLevel.GREEN, change.level());
        assertEquals(AlertLevel.RED, change.previousLevel());
    }

    @Test
    void aResetOfTheMinuteForgetsItsRequestsAndTokensOnly() throws Exception {
        acmeOrange();

        JsonObject body = ok(send("POST", "/admin/limits/reset?tenant=acme&period=minute", "Bearer " + TOKEN));

        assertEquals(new JsonObject().put("requests", 0).put("tokens", 0).put("resetsAt", "2026-12-03T12:01:00Z"),
                body.getJsonObject("minute"));
        assertEquals(1, body.getInteger("inFlight"), "a request in flight still ends");
        assertEquals("0.95", body.getJsonObject("daily").getString("spentUsd"));
        assertEquals("ResetMinuteWindow", ledgerLines().get(0).operation());
    }

    @Test
    void badResetParametersAreValidationErrorsAndResetNothing() throws Exception {
        acmeOrange();
        for (String query : List.of("?period=daily", "?tenant=initech&period=daily", "?tenant=acme", "?tenant=acme&period=weekly",
                "?tenant=acme&period=daily&force=yes")) {
            assertRefused(400, "ValidationException", send("POST", "/admin/limits/reset" + query, "Bearer " + TOKEN));
        }
        assertEquals(new BigDecimal("0.95"), counters("acme").spentToday());
        assertEquals(List.of(), ledgerLines());
    }

    @Test
    void aResetTheLedgerCannotRecordIsNotApplied() throws Exception {
        acmeOrange();
        ledger.close(); // it refuses every line now

        HttpResponse<String> response = send("POST", "/admin/limits/reset?tenant=acme&period=daily", "Bearer " + TOKEN);

        assertRefused(503, "ServiceUnavailableException", response);
        assertEquals(LimitsAdminRoute.NOT_WRITTEN, new JsonObject(response.body()).getString("message"));
        assertEquals(new BigDecimal("0.95"), counters("acme").spentToday());
    }

    private List<LedgerEntry> ledgerLines() throws Exception {
        ledger.caughtUp().get(10, TimeUnit.SECONDS);
        return LedgerFiles.entries(dir);
    }
}
