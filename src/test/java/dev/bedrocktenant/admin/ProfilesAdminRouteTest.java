package dev.bedrocktenant.admin;

import static dev.bedrocktenant.profile.SimulatedAccount.HAIKU;
import static dev.bedrocktenant.profile.SimulatedAccount.SONNET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.profile.ModelId;
import dev.bedrocktenant.profile.ProfileCatalog;
import dev.bedrocktenant.profile.ProfileRequest;
import dev.bedrocktenant.profile.SimulatedAccount;
import dev.bedrocktenant.tenant.TenantDirectory;
import dev.bedrocktenant.tenant.Tenants;
import dev.bedrocktenant.tenant.TenantsFile;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProfilesAdminRouteTest {

    private static final String FILE_ARN = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0nova";
    private static final Tenants TENANTS = new TenantsFile(name -> Optional.empty()).parse("""
            tenants:
              acme:
                tags: { TenantID: acme }
                profiles: { "amazon.nova-lite-v1:0": "%s" }
              globex: {}
            """.formatted(FILE_ARN));

    private SimulatedAccount account;
    private HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String discovered;
    private String created;
    private String createdInEu;

    private static String create(ProfileCatalog catalog, String model) {
        return catalog.lookup(ProfileRequest.of(TENANTS.byId("acme").orElseThrow(), "TenantID", ModelId.parse(model), SONNET,
                "us-east-1")).join().entry().orElseThrow().profile().arn();
    }

    @BeforeEach
    void start() throws Exception {
        account = new SimulatedAccount();
        discovered = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
        ProfileCatalog catalog = account.catalog(true, Duration.ofSeconds(30));
        catalog.refresh().join();
        created = create(catalog, SONNET);
        createdInEu = create(catalog, "eu." + SONNET);
        Router router = Router.router(account.vertx);
        new ProfilesAdminRoute(TenantDirectory.of(TENANTS), catalog, () -> Optional.of("s3cret")).register(router);
        server = account.vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        account.close();
    }

    private HttpResponse<String> get(String query, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                + "/admin/profiles" + query));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void showsEachTenantsMappingAndItsSource() throws Exception {
        HttpResponse<String> response = get("?tenant=acme", "Bearer s3cret");
        assertEquals(200, response.statusCode());
        JsonObject body = new JsonObject(response.body());
        JsonArray profiles = body.getJsonArray("tenants").getJsonObject(0).getJsonArray("profiles");
        // a tenants-file profile the account does not list: its routing is unknown
        assertEquals(new JsonObject().put("model", "amazon.nova-lite-v1:0").put("profileArn", FILE_ARN)
                        .putNull("routing").putNull("regions").put("source", "tenants-file"), profiles.getJsonObject(0));
        assertEquals(new JsonObject().put("model", HAIKU).put("profileArn", discovered).put("profileName", "acme-haiku")
                .put("routing", "us-east-1").put("regions", new JsonArray().add("us-east-1"))
                .put("source", "discovery"), profiles.getJsonObject(1));
        // the two Sonnet profiles come in ARN order, and their ARNs are random
        boolean createdFirst = profiles.getJsonObject(2).getString("profileArn").equals(created);
        JsonObject sonnet = profiles.getJsonObject(createdFirst ? 2 : 3);
        JsonObject euSonnet = profiles.getJsonObject(createdFirst ? 3 : 2);
        assertEquals(new JsonObject().put("model", SONNET).put("profileArn", created)
                .put("profileName", "btp-acme-anthropic-claude-sonnet-4-20250514-v1-0")
                .put("routing", "us-east-1").put("regions", new JsonArray().add("us-east-1")).put("source", "auto-created"),
                sonnet);
        assertEquals(new JsonObject().put("model", SONNET).put("profileArn", createdInEu)
                .put("profileName", "btp-acme-eu-anthropic-claude-sonnet-4-20250514-v1-0").put("routing", "eu")
                .put("regions", new JsonArray().add("eu-central-1").add("eu-west-1").add("eu-west-3")).put("source", "auto-created"),
                euSonnet);
        assertEquals(4, profiles.size());
        assertEquals(true, body.getJsonObject("discovery").getBoolean("enabled"));

        assertEquals(2, new JsonObject(get("", "Bearer s3cret").body()).getJsonArray("tenants").size());
        assertEquals(400, get("?tenant=nobody", "Bearer s3cret").statusCode());
    }

    @Test
    void needsTheAdminTokenWhenOneIsConfigured() throws Exception {
        for (String wrong : new String[] {null, "Bearer wrong", "Bearer s3cre", "s3cret"}) {
            HttpResponse<String> response = get("", wrong);
            assertEquals(403, response.statusCode());
            assertEquals("AccessDeniedException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        }
    }
}
