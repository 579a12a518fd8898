package dev.bedrocktenant.cli;

import static dev.bedrocktenant.profile.SimulatedAccount.HAIKU;
import static dev.bedrocktenant.profile.SimulatedAccount.SONNET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.profile.SimulatedAccount;
import dev.bedrocktenant.simulator.InferenceProfileStore;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.Tenants;
import dev.bedrocktenant.tenant.TenantsFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** provision and profiles commands, with the real SDK client against the simulated control plane. */
class CommandsTest {

    private static final String TENANTS = """
            # tenants for the provisioning test
            tenants:
              acme:
                tags: { TenantID: acme, CostCenter: marketing }
                accessKeys:
                  - AKIAACMEEXAMPLE00001
                  - { id: AKIAACMEEXAMPLE00002, secretEnv: ACME_SECRET_FOR_PROVISION_TEST }
                allowedModels: [ "%s", "us.%s" ]
                budget: { dailyUsd: 10.00, monthlyUsd: 200.50 }
              globex:
                tags: { TenantID: globex }
                allowedModels: [ "%s" ]
                profiles:
                  "%s": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/globex0haiku1"
                limits: { requestsPerMinute: 600 }
            """.formatted(HAIKU, SONNET, HAIKU, HAIKU);

    @TempDir
    Path dir;
    private SimulatedAccount account;
    private Path tenantsFile;
    private final CommandRunner runner = new CommandRunner(SimulatedAccount::credentials);

    @BeforeEach
    void start() throws Exception {
        account = new SimulatedAccount();
        tenantsFile = dir.resolve("tenants.yaml");
        Files.writeString(tenantsFile, TENANTS);
    }

    @AfterEach
    void stop() throws Exception {
        account.close();
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--endpoint");
        all.add(account.endpoint().toString());
        return runWith(Map.of(), all.toArray(String[]::new));
    }

    /** @param settings the proxy's configuration as the command sees it */
    private int runWith(Map<String, String> settings, String... args) {
        return runner.run(settings, args);
    }

    private String out() {
        return runner.out();
    }

    @Test
    void aDryRunShowsThePlanAndCreatesNothing() {
        String existing = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
        assertEquals(0, run("provision", "--tenants", tenantsFile.toString(), "--dry-run"), runner.err());
        System.out.println(out());
        assertTrue(out().contains("acme    anthropic.claude-3-haiku-20240307-v1:0"), out());
        assertTrue(out().lines().anyMatch(l -> l.contains("existing") && l.contains(existing)), out());
        assertTrue(out().lines().anyMatch(l -> l.contains("us." + SONNET) && l.contains("planned")
                && l.contains("btp-acme-us-anthropic-claude-sonnet-4-20250514-v1-0")), out());
        assertTrue(out().lines().anyMatch(l -> l.startsWith("globex") && l.contains("in-file")), out());
        assertTrue(out().contains("dry run: nothing created; 1 profile(s) would be created"), out());
        assertEquals(0, account.controlPlane().count("CreateInferenceProfile"));
    }

    @Test
    void aRealRunCreatesTagsAndWritesBackARoundTrippingFile() throws Exception {
        assertEquals(0, run("provision", "--tenants", tenantsFile.toString(), "--write-back"), runner.err());
        System.out.println(out());
        assertEquals(2, account.controlPlane().count("CreateInferenceProfile"));
        List<InferenceProfileStore.Profile> created = account.profiles().applicationProfiles();
        assertTrue(created.stream().allMatch(p -> p.tags().equals(Map.of("TenantID", "acme", "CostCenter", "marketing"))));
        assertEquals(2, out().lines().filter(l -> l.contains("created")).count(), out());

        TenantsFile parser = new TenantsFile(name -> Optional.of("secret"));
        Tenants before = parser.parse(TENANTS);
        Tenants after = parser.read(tenantsFile);
        Tenant acme = after.byId("acme").orElseThrow();
        String haikuArn = created.stream().filter(p -> p.name().contains("haiku")).findFirst().orElseThrow().arn();
        String sonnetArn = created.stream().filter(p -> p.name().contains("sonnet")).findFirst().orElseThrow().arn();
        assertEquals(Map.of(HAIKU, haikuArn, "us." + SONNET, sonnetArn), acme.profiles());
        Tenant expected = before.byId("acme").orElseThrow();
        assertEquals(new Tenant(expected.id(), expected.tags(), expected.accessKeys(), expected.apiKeySha256(),
                acme.profiles(), expected.allowedModels(), expected.tier(), expected.limits(), expected.budget(), expected.enforce(),
                expected.serviceTier(), expected.role()), acme);
        assertEquals(before.byId("globex"), after.byId("globex"));
        assertEquals(TENANTS, Files.readString(dir.resolve("tenants.yaml.bak")));

        // run again: nothing more to create, everything is in the file now
        assertEquals(0, run("provision", "--tenants", tenantsFile.toString()));
        assertEquals(2, account.controlPlane().count("CreateInferenceProfile"));
        assertEquals(3, out().lines().filter(l -> l.contains("in-file")).count(), out());
    }

    @Test
    void aFailureIsReportedAndExitsNonZero() {
        account.controlPlane().throttleNext(0);
        account.controlPlane().outage(true);
        assertEquals(1, run("provision", "--tenants", tenantsFile.toString()));
        assertTrue(runner.err().contains("ServiceUnavailableException"), runner.err());
        assertEquals(2, run("provision"));
        assertEquals(2, run("profiles", "frobnicate"));
    }

    @Test
    void profilesListGetTagDelete() {
        String acme = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
        account.seed("globex-haiku", HAIKU, Map.of("TenantID", "globex"));

        assertEquals(0, run("profiles", "list", "--tenant", "acme"));
        System.out.println(out());
        assertTrue(out().contains(acme) && !out().contains("globex-haiku"), out());
        assertTrue(out().contains("1 application inference profile(s) tagged TenantID=acme"), out());

        assertEquals(0, run("profiles", "tag", acme, "CostCenter=marketing", "Team=ml"));
        assertEquals(Map.of("TenantID", "acme", "CostCenter", "marketing", "Team", "ml"),
                account.profiles().tags(acme).orElseThrow());

        assertEquals(0, run("profiles", "get", acme));
        System.out.println(out());
        assertTrue(out().contains("tags:    CostCenter=marketing, Team=ml, TenantID=acme"), out());
        assertTrue(out().contains("models:  arn:aws:bedrock:us-east-1::foundation-model/" + HAIKU), out());

        assertEquals(0, run("profiles", "delete", acme));
        assertTrue(account.profiles().get(acme).isEmpty());
        assertEquals(1, run("profiles", "delete", acme));
        assertTrue(runner.err().contains("ResourceNotFoundException"), runner.err());
        assertFalse(out().contains("deleted"));
    }

    @Test
    void onlyACommandNameAsFirstArgumentRunsACommandRatherThanTheProxy() {
        assertTrue(Commands.handles("provision", "--tenants", "t.yaml"));
        assertTrue(Commands.handles("profiles"));
        assertTrue(Commands.handles("reconcile", "--help"));
        assertFalse(Commands.handles(), "no arguments: the proxy");
        assertFalse(Commands.handles("--help"));
        assertFalse(Commands.handles("serve"));
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndCallsNothing() {
        assertEquals(0, run("provision", "--help"), runner.err());
        assertTrue(out().startsWith("usage: provision "), out());
        for (String option : List.of("--tenants=FILE", "--models=M1,M2", "--dry-run", "--write-back", "--region=REGION",
                "--tag-key=KEY", "--name-prefix=PREFIX")) {
            assertTrue(out().contains(option), option + " in " + out());
        }
        assertEquals(0, run("profiles", "--help"));
        assertTrue(out().startsWith("usage: profiles ") && out().contains("list") && out().contains("delete"), out());
        assertEquals(0, run("profiles", "tag", "--help"));
        assertTrue(out().startsWith("usage: profiles tag ") && out().contains("ARN Key=Value..."), out());
        assertEquals(0, run("reconcile", "--help"));
        assertTrue(out().startsWith("usage: reconcile ") && out().contains("--ledger-dir=DIR"), out());
        assertTrue(out().contains("default: usage-ledger"), out());
        assertEquals(0, account.controlPlane().calls().size());
    }

    @Test
    void aWrongCommandLineExitsTwoSayingWhatIsWrong() {
        assertEquals(2, run("provision", "--tenants", tenantsFile.toString(), "--frobnicate"));
        assertTrue(runner.err().contains("Unknown option: '--frobnicate'"), runner.err());
        assertTrue(runner.err().contains("usage: provision"), runner.err());

        String acme = account.seed("acme-haiku", HAIKU, Map.of("TenantID", "acme"));
        assertEquals(2, run("profiles", "tag", acme, "CostCenter=marketing", "marketing"));
        assertTrue(runner.err().contains("'marketing' is not Key=Value"), runner.err());
        assertEquals(2, run("profiles", "get"));
        assertEquals(0, account.controlPlane().count("TagResource") + account.controlPlane().count("GetInferenceProfile"));
    }

    @Test
    void optionsDefaultToTheProxysSettingsAndAnOptionWinsWhereverItStands() {
        String owned = account.seed("acme-haiku", HAIKU, Map.of("Owner", "acme"));
        Map<String, String> settings = Map.of("proxy.control-plane-url", account.endpoint().toString(),
                "proxy.profiles.tag-key", "Owner");

        assertEquals(0, runWith(settings, "profiles", "list", "--tenant", "acme"), runner.err());
        assertTrue(out().contains(owned) && out().contains("1 application inference profile(s) tagged Owner=acme"), out());

        assertEquals(0, runWith(settings, "profiles", "--tag-key", "TenantID", "list", "--tenant", "acme"), runner.err());
        assertTrue(out().contains("0 application inference profile(s) tagged TenantID=acme"), out());
    }
}
