package dev.bedrocktenant.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.bedrocktenant.metering.LedgerFiles;
import dev.bedrocktenant.simulator.RecordedRequest;
import dev.bedrocktenant.simulator.SimulatorJournal;
import dev.bedrocktenant.simulator.SimulatorLifecycle;
import dev.bedrocktenant.testing.BedrockCalls;
import dev.bedrocktenant.testing.BedrockClients;
import dev.bedrocktenant.testing.BedrockClients.Caller;
import dev.bedrocktenant.usage.Outcome;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;

/**
 * Tenants with a role (src/test/resources/roles/tenants.yaml) are signed with credentials a fake STS issues
 * for it; the simulator accepts exactly the keys STS issued (and its own), so the access key it recorded shows
 * whom the proxy signed as. Issued credentials live 30 s and are refreshed 25 s before expiry.
 */
@QuarkusTest
@TestProfile(TenantRoleEndToEndTest.WithRoles.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantRoleEndToEndTest {

    static final int SIMULATOR_PORT = 18878;
    static final int STS_PORT = 18879;
    static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
    static final String PROXY_KEY = "AKIASIMULATOR0000001";

    public static class WithRoles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("proxy.simulator.port", String.valueOf(SIMULATOR_PORT),
                    "proxy.upstream-url", "http://127.0.0.1:" + SIMULATOR_PORT,
                    "proxy.sts-url", "http://127.0.0.1:" + STS_PORT,
                    "proxy.unmapped-model", "passthrough",
                    "proxy.signing.role-prefetch-time", "25s",
                    "proxy.signing.role-stale-time", "2s",
                    "proxy.tenants-file", Path.of("src/test/resources/roles/tenants.yaml").toAbsolutePath().toString(),
                    "proxy.ledger.dir", ledgerDir().toString());
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    static Path ledgerDir() {
        return Path.of("target", "roles-e2e-ledger-" + ProcessHandle.current().pid()).toAbsolutePath();
    }

    @TestHTTPResource("/")
    URL proxy;

    @Inject
    SimulatorLifecycle simulator;

    @Inject
    SimulatorJournal journal;

    FakeSts sts;

    @BeforeAll
    void startSts() {
        sts = new FakeSts(STS_PORT, Duration.ofSeconds(30), (id, secret) -> simulator.simulator().acceptKey(id, secret));
    }

    @AfterAll
    void stopSts() {
        sts.close();
    }

    /** The access key the simulator saw the last request signed with. */
    private String lastSignedKey() {
        RecordedRequest last = journal.last().orElseThrow();
        assertTrue(last.signatureValid(), "the simulator accepted the signature");
        return CallerCredential.parse(last.header("Authorization")).orElseThrow().accessKeyId();
    }

    private List<FakeSts.AssumeRole> callsFor(String role) {
        return sts.calls().stream().filter(c -> c.roleArn().equals(role)).toList();
    }

    private List<FakeSts.Issued> issuedFor(String role) {
        return sts.issued().stream().filter(c -> c.roleArn().equals(role)).toList();
    }

    @Test
    void aTenantWithARoleIsSignedWithItsAssumedKeyAndTaggedSessionOthersWithTheProxysOwn() {
        String role = "arn:aws:iam::222233334444:role/bedrock-tenant-siloed";
        try (BedrockRuntimeClient siloed = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "siloed")),
                new BedrockClients.SentBody());
             BedrockRuntimeClient shared = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "shared")),
                     new BedrockClients.SentBody())) {
            siloed.converse(BedrockCalls.converse(HAIKU, "Hello"));
            String assumed = lastSignedKey();
            assertEquals(issuedFor(role).get(0).accessKeyId(), assumed);
            assertEquals("token-" + assumed, journal.last().orElseThrow().header("X-Amz-Security-Token"));

            shared.converse(BedrockCalls.converse(HAIKU, "Hello"));
            assertEquals(PROXY_KEY, lastSignedKey());
            assertNull(journal.last().orElseThrow().header("X-Amz-Security-Token"));

            siloed.converse(BedrockCalls.converse(HAIKU, "Hello again"));
            assertEquals(assumed, lastSignedKey(), "the session is cached");
        }
        FakeSts.AssumeRole call = callsFor(role).get(0);
        assertEquals("ext-siloed-42", call.externalId());
        assertEquals(Map.of("TenantID", "silo-7", "Project", "atlas"), call.sessionTags());
        assertEquals("bedrock-tenant-siloed", call.sessionName());
        assertTrue(call.callerAuthorization().contains("Credential=" + PROXY_KEY + "/"),
                "the role is assumed with the proxy's own credentials: " + call.callerAuthorization());
    }

    @Test
    void twentyConcurrentFirstCallsOfATenantAssumeItsRoleOnce() {
        String role = "arn:aws:iam::111122223333:role/bedrock-tenant-crowd";
        int before = journal.requests().size();
        try (BedrockRuntimeAsyncClient crowd = BedrockClients.async(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "crowd")),
                new BedrockClients.SentBody())) {
            CompletableFuture.allOf(IntStream.range(0, 20)
                    .mapToObj(i -> crowd.converse(BedrockCalls.converse(HAIKU, "Hello " + i)))
                    .toArray(CompletableFuture[]::new)).join();
        }
        List<FakeSts.AssumeRole> calls = callsFor(role);
        Instant firstAssume = calls.get(0).at();
        // later calls can only be the background refresh, 5 s after the first set was issued
        assertEquals(1, calls.stream().filter(c -> c.at().isBefore(firstAssume.plusSeconds(3))).count());
        Set<String> keys = journal.requests().subList(before, journal.requests().size()).stream()
                .map(r -> CallerCredential.parse(r.header("Authorization")).orElseThrow().accessKeyId())
                .collect(Collectors.toSet());
        assertEquals(Set.of(issuedFor(role).get(0).accessKeyId()), keys);
    }

    @Test
    void credentialsAreRefreshedInTheBackgroundBeforeTheyExpire() {
        String role = "arn:aws:iam::111122223333:role/bedrock-tenant-refreshing";
        try (BedrockRuntimeClient refreshing = BedrockClients.sync(proxy,
                Caller.withHeaders(Map.of("X-Tenant-Id", "refreshing")), new BedrockClients.SentBody())) {
            refreshing.converse(BedrockCalls.converse(HAIKU, "Hello"));
            FakeSts.Issued first = issuedFor(role).get(0);
            assertEquals(first.accessKeyId(), lastSignedKey());

            // no request in between: the provider refreshes on its own, 25 s before the first set expires
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> issuedFor(role).size() >= 2);
            FakeSts.AssumeRole refresh = callsFor(role).get(1);
            assertTrue(refresh.at().isBefore(first.expiration()), "refreshed before expiry");

            refreshing.converse(BedrockCalls.converse(HAIKU, "Hello again"));
            assertNotEquals(first.accessKeyId(), lastSignedKey());
            assertEquals(issuedFor(role).get(issuedFor(role).size() - 1).accessKeyId(), lastSignedKey());
        }
    }

    @Test
    void aRoleThatCannotBeAssumedRefusesOnlyItsTenantWithAccessDenied() throws Exception {
        String role = "arn:aws:iam::111122223333:role/bedrock-tenant-refused";
        sts.refuse(role);
        int before = journal.requests().size();
        try (BedrockRuntimeClient refused = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "refused")),
                new BedrockClients.SentBody());
             BedrockRuntimeClient shared = BedrockClients.sync(proxy, Caller.withHeaders(Map.of("X-Tenant-Id", "shared")),
                     new BedrockClients.SentBody())) {
            AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                    () -> refused.converse(BedrockCalls.converse(HAIKU, "Hello")));
            assertEquals(403, denied.statusCode());
            assertTrue(denied.getMessage().contains(role) && denied.getMessage().contains("refused"), denied.getMessage());
            assertEquals(before, journal.requests().size(), "nothing reached Bedrock");

            shared.converse(BedrockCalls.converse(HAIKU, "Hello"));
            assertEquals(PROXY_KEY, lastSignedKey());
        }
        // the writer moves the journal's lines to the day file once per proxy.ledger.fsync-interval
        Awaitility.await("the refusal has its ledger line").atMost(Duration.ofSeconds(10)).until(() -> LedgerFiles
                .entries(ledgerDir()).stream().anyMatch(entry -> entry.tenant().equals("refused")
                        && entry.status() == 403 && entry.outcome() == Outcome.REJECTED));
    }
}
