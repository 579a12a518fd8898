package dev.bedrocktenant.admin.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.bedrocktenant.admin.BearerToken;
import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.metering.ledger.LedgerEntry;
import dev.bedrocktenant.metering.ledger.LedgerLine;
import dev.bedrocktenant.metering.ledger.LedgerReader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route over HTTP, on a Router of its own (no Quarkus): auth, parameters, the answer. */
class UsageRouteTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-24T15:30:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Vertx vertx;
    private HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    /** What the route is told of the ledger writer catching up: done at once unless a test says otherwise. */
    private Supplier<CompletableFuture<Void>> writerCatchUp = () -> CompletableFuture.completedFuture(null);

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("usage-2026-11-24.jsonl"),
                LedgerLine.encode(TestUsages.usage("r-1", Instant.parse("2026-11-24T09:00:00Z"))) + "\n"
                        + LedgerLine.encode(TestUsages.cutOff("r-2", Instant.parse("2026-11-24T10:00:00Z"))) + "\n"
                        + "{\"ts\":\"2026-11-24T11:00"); // the writer is mid-line
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get(UsageRoutes.USAGE_PATH).handler(new UsageHandler(vertx, new LedgerReader(dir), () -> writerCatchUp.get(),
                new BearerToken(Optional.of("s3cret-admin-token")), NOW));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String query, String authorization) throws Exception {
        return client.send(request(query, authorization), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String query, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.actualPort() + "/admin/usage" + query));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    @Test
    void answersTheAggregatedUsage() throws Exception {
        HttpResponse<String> response = get("?groupBy=day", "Bearer s3cret-admin-token");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        JsonObject body = new JsonObject(response.body());
        assertEquals("2026-11-24T00:00:00Z", body.getString("from"));
        assertEquals("2026-11-24T15:30:00Z", body.getString("to"));
        assertEquals(2, body.getJsonArray("groups").size()); // acme and globex, the torn line skipped
        assertEquals(new JsonObject("""
                {"requests":2,"inputTokens":1000,"outputTokens":140,"cacheReadTokens":200,"cacheWriteTokens":0,
                 "costUsd":"0.000425","partialRequests":1}"""), body.getJsonObject("total"));

        JsonObject acme = new JsonObject(get("?tenant=acme&from=2026-11-24&to=2026-11-24", "bearer s3cret-admin-token").body());
        assertEquals(new JsonObject("""
                {"tenant":"acme","model":"anthropic.claude-3-haiku-20240307-v1:0","requests":1,"inputTokens":1000,
                 "outputTokens":140,"cacheReadTokens":200,"cacheWriteTokens":0,"costUsd":"0.000425","partialRequests":0}"""),
                acme.getJsonArray("groups").getJsonObject(0));
    }

    @Test
    void readsTheLedgerOnlyOnceItsWriterHasCaughtUp() throws Exception {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        writerCatchUp = () -> caughtUp;
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(
                request("?tenant=acme", "Bearer s3cret-admin-token"), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertFalse(response.isDone(), "answered before the writer caught up");
        // what the writer moves from its journal meanwhile (after the torn line, which stays skipped)
        Files.writeString(dir.resolve("usage-2026-11-24.jsonl"),
                "\n" + LedgerLine.encode(TestUsages.usage("r-3", Instant.parse("2026-11-24T12:00:00Z"))) + "\n",
                StandardOpenOption.APPEND);
        caughtUp.complete(null);
        JsonObject body = new JsonObject(response.get(10, TimeUnit.SECONDS).body());
        assertEquals(2, body.getJsonObject("total").getInteger("requests"), "r-1 and the line moved meanwhile");
    }

    @Test
    void aWriterThatDoesNotCatchUpDelaysTheAnswerOnlyBrieflyAndTheDayFilesAreReadAsTheyAre() throws Exception {
        writerCatchUp = CompletableFuture::new; // a writer stuck on a disk that does not answer
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(request("", "Bearer s3cret-admin-token"), (name, value) -> true)
                        .timeout(UsageHandler.MAX_CATCH_UP_WAIT.multipliedBy(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(2, new JsonObject(response.body()).getJsonObject("total").getInteger("requests"));
    }

    @Test
    void refusesAMissingOrWrongTokenAsAccessDenied() throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong", "s3cret-admin-token", "Basic czNjcmV0", "Bearer "}) {
            HttpResponse<String> response = get("", authorization);
            assertEquals(403, response.statusCode(), authorization);
            assertEquals("AccessDeniedException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
            assertTrue(new JsonObject(response.body()).getString("message").contains("bearer token"));
            assertTrue(!response.body().contains("s3cret"), "never echo the token");
        }
    }

    @Test
    void refusesBadParametersAsValidationException() throws Exception {
        HttpResponse<String> response = get("?from=tomorrow", "Bearer s3cret-admin-token");
        assertEquals(400, response.statusCode());
        assertEquals("ValidationException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(response.headers().firstValue("x-amzn-RequestId").isPresent());
        assertTrue(new JsonObject(response.body()).getString("message").startsWith("from must be"));
    }
}
