package dev.bedrocktenant.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class AsyncInvokeBodyTest {

    private static final String BODY = "{\n  \"clientRequestToken\":\"t-1\",\"modelInput\":{\"modelId\":\"nested\",\"n\":1.50E+3},"
            + " \"modelId\" : \"amazon.nova-reel-v1:1\" ,\"outputDataConfig\":{\"s3OutputDataConfig\":{\"s3Uri\":\"s3://b/é\"}}}";

    @Test
    void readsTheTopLevelModelIdNotANestedOne() {
        assertEquals(Optional.of("amazon.nova-reel-v1:1"), AsyncInvokeBody.modelId(Buffer.buffer(BODY)));
    }

    @Test
    void replacesOnlyTheModelIdBytes() {
        String arn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/p\"1";
        Buffer rewritten = AsyncInvokeBody.withModelId(Buffer.buffer(BODY), arn);
        assertEquals(BODY.replace("\"amazon.nova-reel-v1:1\"", "\"" + arn.replace("\"", "\\\"") + "\""),
                rewritten.toString());
        assertEquals(Optional.of(arn), AsyncInvokeBody.modelId(rewritten));
    }

    @Test
    void malformedBodiesAreValidationErrors() {
        for (String body : new String[] {"[1]", "{\"modelId\": ", "not json"}) {
            ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> AsyncInvokeBody.modelId(Buffer.buffer(body)));
            assertEquals(ProxyRefusal.Kind.VALIDATION, refusal.kind());
        }
    }
}
