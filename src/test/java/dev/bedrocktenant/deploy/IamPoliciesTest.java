package dev.bedrocktenant.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.bedrocktenant.deploy.AwsCalls.Call;
import dev.bedrocktenant.deploy.IamPolicy.Request;
import dev.bedrocktenant.wire.BedrockOperation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/iam grants what the code calls, and little else. The calls are read from the compiled classes, so an SDK
 * call added without its action in a policy fails here; the Bedrock Runtime operations, which the proxy forwards as
 * raw HTTP rather than through the SDK, are read from {@link BedrockOperation}, whose every row must be mapped below
 * (the switch does not compile otherwise).
 */
class IamPoliciesTest {

    private static final Path IAM = Path.of("deploy/iam");
    private static final String ACCOUNT = "111122223333";
    private static final String PROFILE = "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":application-inference-profile/acme0haiku01";
    private static final String MODEL = "arn:aws:bedrock:eu-west-3::foundation-model/anthropic.claude-3-haiku-20240307-v1:0";
    private static final String SYSTEM_PROFILE = "arn:aws:bedrock:eu-central-1:" + ACCOUNT + ":inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0";
    private static final String GUARDRAIL = "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":guardrail/abc123def456";
    /** The CloudWatch namespace the proxy writes by default (proxy.cloudwatch.namespace). */
    private static final Map<String, String> CONTEXT = Map.of("cloudwatch:namespace", "BedrockTenants");
    /**
     * Granted because another granted call needs it: tags passed to a create call are authorised as TagResource,
     * session tags passed to AssumeRole as TagSession.
     */
    private static final Set<String> IMPLIED = Set.of("bedrock:TagResource", "cloudwatch:TagResource", "sts:TagSession");

    private static AwsCalls code;
    private static IamPolicy sidecar;
    private static IamPolicy autoCreate;
    private static IamPolicy platform;

    @BeforeAll
    static void read() throws IOException {
        code = AwsCalls.in(Path.of("target/classes"));
        sidecar = IamPolicy.read(IAM.resolve("sidecar-policy.json"));
        autoCreate = IamPolicy.read(IAM.resolve("sidecar-auto-create-policy.json"));
        platform = IamPolicy.read(IAM.resolve("platform-policy.json"));
    }

    /** The scan itself: calls known to exist are found, so an empty result cannot pass for a clean one. */
    @Test
    void theBytecodeScanFindsTheKnownCalls() {
        Set<String> found = new TreeSet<>();
        code.calls.forEach(c -> found.add(action(c)));
        assertTrue(found.containsAll(Set.of("bedrock:ListInferenceProfiles", "bedrock:CreateInferenceProfile",
                "cloudwatch:PutMetricData", "sns:Publish", "cloudwatch:PutMetricAlarm", "bedrock:DeleteInferenceProfile",
                "s3:PutObject", "cloudwatch:PutDashboard", "sts:AssumeRole")), found.toString());
        Set<String> commandOnly = code.commandOnly();
        assertTrue(commandOnly.contains("dev/bedrocktenant/cli/ProfilesCommand"), "the cli package is the commands'");
        assertFalse(commandOnly.contains("dev/bedrocktenant/profile/ProfileDiscovery"), "discovery also runs in the proxy");
        assertTrue(code.usedByCommands().contains("dev/bedrocktenant/profile/ProfileDiscovery"), "and in provision");
    }

    /** Every SDK call the running proxy can make is granted to the sidecar (auto-creation's calls by its own policy). */
    @Test
    void theSidecarMayMakeEveryCallOfTheProxy() {
        Set<String> commandOnly = code.commandOnly();
        List<String> missing = new ArrayList<>();
        for (Call call : code.calls) {
            if (!commandOnly.contains(call.inClass())
                    && !sidecar.allowsAction(action(call), CONTEXT) && !autoCreate.allowsAction(action(call), CONTEXT)) {
                missing.add(action(call) + " (" + call.service() + "." + call.method() + " in " + call.inClass() + ")");
            }
        }
        assertEquals(List.of(), missing, "calls of the proxy that deploy/iam/sidecar*-policy.json do not grant");
    }

    @Test
    void thePlatformMayMakeEveryCallOfTheCommands() {
        Set<String> commands = code.usedByCommands();
        List<String> missing = new ArrayList<>();
        for (Call call : code.calls) {
            if (commands.contains(call.inClass()) && !platform.allowsAction(action(call), CONTEXT)) {
                missing.add(action(call) + " (" + call.service() + "." + call.method() + " in " + call.inClass() + ")");
            }
        }
        assertEquals(List.of(), missing, "calls of the commands that deploy/iam/platform-policy.json does not grant");
    }

    /** What each forwarded operation is authorised as, on the resources it reaches: a profile and what it routes to. */
    @Test
    void theSidecarMayForwardEveryOperationOfTheTable() {
        List<String> missing = new ArrayList<>();
        for (BedrockOperation operation : BedrockOperation.values()) {
            for (Request needed : authorisedAs(operation)) {
                if (!sidecar.allows(needed)) {
                    missing.add(operation.awsName + " needs " + needed.action() + " on " + needed.resource());
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    private static List<Request> authorisedAs(BedrockOperation operation) {
        return switch (operation) {
            // Converse* are authorised as the Invoke* actions; an application profile needs them on itself and on
            // the models (or system profile) it copies, in every Region it routes to.
            case CONVERSE, INVOKE_MODEL -> invoke("bedrock:InvokeModel");
            case CONVERSE_STREAM, INVOKE_MODEL_WITH_RESPONSE_STREAM -> invoke("bedrock:InvokeModelWithResponseStream");
            case COUNT_TOKENS -> List.of(new Request("bedrock:CountTokens", MODEL));   // forwarded with the base model id
            case APPLY_GUARDRAIL -> List.of(new Request("bedrock:ApplyGuardrail", GUARDRAIL));
            case INVOKE_GUARDRAIL_CHECKS -> List.of(new Request("bedrock:InvokeGuardrailChecks", "*"));
            case START_ASYNC_INVOKE -> List.of(new Request("bedrock:StartAsyncInvoke", "*"), new Request("bedrock:InvokeModel", PROFILE),
                    new Request("bedrock:InvokeModel", MODEL));
            case GET_ASYNC_INVOKE -> List.of(new Request("bedrock:GetAsyncInvoke", "*"));
            case LIST_ASYNC_INVOKES -> List.of(new Request("bedrock:ListAsyncInvokes", "*"));
        };
    }

    private static List<Request> invoke(String action) {
        return List.of(new Request(action, PROFILE), new Request(action, MODEL), new Request(action, SYSTEM_PROFILE));
    }

    /** Least privilege: no wildcard actions, no invocation outside the account's profiles and the models, no writes elsewhere. */
    @Test
    void theSidecarIsGrantedNoMoreThanItNeeds() {
        for (IamPolicy policy : List.of(sidecar, autoCreate, platform)) {
            policy.statements.forEach(s -> s.actions().forEach(a -> assertFalse(a.contains("*") || a.contains("?"),
                    policy.file + " " + s.sid() + ": wildcard action " + a)));
        }
        String otherAccountsProfile = "arn:aws:bedrock:us-east-1:444455556666:application-inference-profile/x";
        assertFalse(sidecar.allows(new Request("bedrock:InvokeModel", otherAccountsProfile)));
        assertFalse(sidecar.allows(new Request("bedrock:InvokeModel", "arn:aws:bedrock:us-east-1:" + ACCOUNT + ":custom-model/x")));
        assertFalse(sidecar.allows(new Request("cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "AWS/Bedrock"))));
        assertFalse(sidecar.allows(new Request("cloudwatch:PutMetricData", "*")), "PutMetricData only with the namespace condition");
        assertTrue(sidecar.allows(new Request("cloudwatch:PutMetricData", "*", CONTEXT)));
        for (String write : List.of("bedrock:CreateInferenceProfile", "bedrock:DeleteInferenceProfile", "bedrock:TagResource")) {
            assertFalse(sidecar.allowsAction(write, CONTEXT), write + " belongs to auto-creation's or the platform's policy");
        }
        assertFalse(sidecar.allows(new Request("s3:PutObject", "arn:aws:s3:::my-usage-ledger-bucket/elsewhere/x.jsonl")));
        assertTrue(sidecar.allows(new Request("s3:PutObject", "arn:aws:s3:::my-usage-ledger-bucket/bedrock-ledger/dt=2026-12-03/i.jsonl")));
        assertTrue(sidecar.allows(new Request("sts:AssumeRole", "arn:aws:iam::444455556666:role/bedrock-tenant-acme")));
        assertFalse(sidecar.allows(new Request("sts:AssumeRole", "arn:aws:iam::" + ACCOUNT + ":role/OrganizationAccountAccessRole")),
                "only roles named for the proxy's tenants");
    }

    /** Each granted action is one the code needs, or one a needed call implies. */
    @Test
    void everyGrantedActionIsUsed() {
        Set<String> used = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        code.calls.forEach(c -> used.add(action(c)));
        for (BedrockOperation operation : BedrockOperation.values()) {
            authorisedAs(operation).forEach(r -> used.add(r.action()));
        }
        used.addAll(IMPLIED);
        for (IamPolicy policy : List.of(sidecar, autoCreate, platform)) {
            policy.statements.forEach(s -> s.actions().forEach(a -> assertTrue(used.contains(a),
                    policy.file + " " + s.sid() + " grants " + a + ", which no code calls")));
        }
    }

    /** The IAM action of an SDK call; Converse* are authorised as the Invoke* actions. */
    static String action(Call call) {
        String prefix = switch (call.service()) {
            case "bedrock", "bedrockruntime" -> "bedrock";
            default -> call.service();   // cloudwatch, sns, s3, sts: the module's name is the IAM prefix
        };
        String operation = call.operation();
        if (call.service().equals("s3") && operation.equals("ListObjectsV2")) {
            return "s3:ListBucket";   // S3 authorises listing as an action on the bucket
        }
        if (call.service().equals("bedrockruntime")) {
            operation = switch (operation) {
                case "Converse" -> "InvokeModel";
                case "ConverseStream" -> "InvokeModelWithResponseStream";
                default -> operation;
            };
        }
        return prefix + ":" + operation;
    }
}
