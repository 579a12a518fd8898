package dev.bedrocktenant.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class OperationMatcherTest {

    @Test
    void modelOperationsDecodeTheModelIdAndRememberWhereItStands() {
        String path = "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Ainference-profile%2Fus.anthropic.x/converse-stream";
        RouteMatch match = OperationMatcher.match("POST", path);
        assertEquals(BedrockOperation.CONVERSE_STREAM, match.operation());
        assertEquals("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.x", match.modelId().orElseThrow());
        assertEquals(path.substring(7, path.indexOf("/converse-stream")), path.substring(match.modelIdStart(), match.modelIdEnd()));
    }

    @Test
    void everyOperationOfTheServiceModelIsRecognised() {
        assertEquals(BedrockOperation.CONVERSE, OperationMatcher.match("POST", "/model/m/converse").operation());
        assertEquals(BedrockOperation.INVOKE_MODEL, OperationMatcher.match("POST", "/model/m/invoke").operation());
        assertEquals(BedrockOperation.INVOKE_MODEL_WITH_RESPONSE_STREAM,
                OperationMatcher.match("POST", "/model/m/invoke-with-response-stream").operation());
        assertEquals(BedrockOperation.COUNT_TOKENS, OperationMatcher.match("POST", "/model/m/count-tokens").operation());
        assertEquals(BedrockOperation.APPLY_GUARDRAIL,
                OperationMatcher.match("POST", "/guardrail/gr1/version/DRAFT/apply").operation());
        assertEquals(BedrockOperation.INVOKE_GUARDRAIL_CHECKS,
                OperationMatcher.match("POST", "/guardrail-checks/invoke").operation());
        assertEquals(BedrockOperation.START_ASYNC_INVOKE, OperationMatcher.match("POST", "/async-invoke").operation());
        assertEquals(BedrockOperation.LIST_ASYNC_INVOKES, OperationMatcher.match("GET", "/async-invoke").operation());
        assertEquals(BedrockOperation.GET_ASYNC_INVOKE,
                OperationMatcher.match("GET", "/async-invoke/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aasync-invoke%2Fabc").operation());
    }

    @Test
    void unknownPathsWrongMethodsAndBadEncodingAreValidationErrors() {
        for (String[] request : new String[][] {
                {"POST", "/model/m/delete"}, {"GET", "/model/m/converse"}, {"POST", "/models"},
                {"POST", "/model/m%2/converse"}, {"POST", "/model/m%G1/converse"}, {"POST", "/model/m%FF/converse"},
                {"DELETE", "/async-invoke/x"}}) {
            ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> OperationMatcher.match(request[0], request[1]));
            assertEquals(ProxyRefusal.Kind.VALIDATION, refusal.kind(), String.join(" ", request));
        }
    }

    @Test
    void bidirectionalStreamIsRefusedWithAReason() {
        ProxyRefusal refusal = assertThrows(ProxyRefusal.class,
                () -> OperationMatcher.match("POST", "/model/m/invoke-with-bidirectional-stream"));
        assertTrue(refusal.getMessage().contains("InvokeModelWithBidirectionalStream"));
    }

    @Test
    void theModelIdOfAnyModelPathIsReadForAccountingAnUnknownOperation() {
        assertEquals(Optional.of("anthropic.claude-3-haiku-20240307-v1:0"),
                OperationMatcher.modelIdIn("/model/anthropic.claude-3-haiku-20240307-v1%3A0/summon"));
        assertEquals(Optional.of("m"), OperationMatcher.modelIdIn("/model/m"));
        assertEquals(Optional.empty(), OperationMatcher.modelIdIn("/model/m%ZZ/converse"), "not decodable: no model");
        assertEquals(Optional.empty(), OperationMatcher.modelIdIn("/models/m/converse"));
        assertEquals(Optional.empty(), OperationMatcher.modelIdIn("/guardrail/g/version/1/apply"));
    }
}
