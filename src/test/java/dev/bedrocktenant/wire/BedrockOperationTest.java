package dev.bedrocktenant.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.protocols.core.OperationInfo;

class BedrockOperationTest {

    /**
     * The table binds each operation as AWS's service model does: the real SDK's request marshaller for it
     * (generated from that model) holds the same method and request URI.
     */
    @ParameterizedTest
    @EnumSource(BedrockOperation.class)
    void eachRowIsBoundAsTheServiceModelBindsIt(BedrockOperation operation) throws Exception {
        Class<?> marshaller = Class.forName("software.amazon.awssdk.services.bedrockruntime.transform."
                + operation.awsName + "RequestMarshaller");
        Field binding = marshaller.getDeclaredField("SDK_OPERATION_BINDING");
        binding.setAccessible(true);
        OperationInfo info = (OperationInfo) binding.get(null);
        assertEquals(info.httpMethod().name(), operation.method, operation.awsName);
        assertEquals(info.requestUri(), operation.requestUri, operation.awsName);
    }

    @Test
    void aRawPathIsBoundWithItsEncodedLabel() {
        String path = "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Aapplication-inference-profile%2Fabc/converse";
        BedrockOperation.Binding binding = BedrockOperation.bind("POST", path).orElseThrow();
        assertEquals(BedrockOperation.CONVERSE, binding.operation());
        assertEquals(Optional.of(path.substring(7, path.length() - 9)), binding.label());
        assertEquals("/model/", path.substring(0, binding.labelStart()));

        assertEquals(BedrockOperation.LIST_ASYNC_INVOKES, BedrockOperation.bind("GET", "/async-invoke").orElseThrow().operation());
        assertEquals(BedrockOperation.START_ASYNC_INVOKE, BedrockOperation.bind("POST", "/async-invoke").orElseThrow().operation());
        assertTrue(BedrockOperation.bind("DELETE", "/async-invoke").isEmpty());
        assertTrue(BedrockOperation.bind("POST", "/model/a/b/converse").isEmpty(), "a label is one segment");
    }

    @Test
    void theProxyListensOnEachOperationsFirstSegment() {
        assertEquals(Set.of("/model", "/guardrail", "/guardrail-checks", "/async-invoke"), BedrockOperation.pathPrefixes());
    }
}
