package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.bedrocktenant.wire.BedrockOperation;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UsageExtractorsTest {

    @Test
    void eachTokenBilledOperationHasItsReader() {
        assertInstanceOf(ConverseUsageReader.class, UsageExtractors.forOperation(BedrockOperation.CONVERSE));
        assertInstanceOf(ConverseStreamUsageReader.class, UsageExtractors.forOperation(BedrockOperation.CONVERSE_STREAM));
        assertInstanceOf(InvokeModelUsageReader.class, UsageExtractors.forOperation(BedrockOperation.INVOKE_MODEL));
        assertInstanceOf(InvokeModelStreamUsageReader.class,
                UsageExtractors.forOperation(BedrockOperation.INVOKE_MODEL_WITH_RESPONSE_STREAM));
    }

    @ParameterizedTest
    @EnumSource(BedrockOperation.class)
    void everyCallGetsAFreshExtractor(BedrockOperation operation) {
        assertNotSame(UsageExtractors.forOperation(operation), UsageExtractors.forOperation(operation));
    }

    @ParameterizedTest
    @EnumSource(value = BedrockOperation.class, names = {"COUNT_TOKENS", "APPLY_GUARDRAIL", "INVOKE_GUARDRAIL_CHECKS",
            "START_ASYNC_INVOKE", "GET_ASYNC_INVOKE", "LIST_ASYNC_INVOKES"})
    void operationsThatBillNoTokensReportNone(BedrockOperation operation) {
        UsageExtractor extractor = UsageExtractors.forOperation(operation);
        extractor.onHeaders(200, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add("X-Amzn-Bedrock-Input-Token-Count", "5"));
        // CountTokens' inputTokens and ApplyGuardrail's usage units are not billed tokens.
        extractor.onBytes(Buffer.buffer("{\"inputTokens\":123,\"usage\":{\"topicPolicyUnits\":1,\"inputTokens\":4}}"));
        assertEquals(TokenUsage.NOT_REPORTED, extractor.usage());
        assertFalse(extractor.unreadable());
        assertFalse(extractor.firstTokenNanos().isPresent());
        assertFalse(extractor.outputProduced(), "their success used no tokens");
    }
}
