package dev.bedrocktenant.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.OptionalLong;

import dev.bedrocktenant.pricing.PriceTable;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EstimateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"messages\":[],\"inferenceConfig\":{\"maxTokens\": 512}}                   | 512",
            "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":256}             | 256",
            "{\"prompt\":\"x\",\"max_gen_len\":128}                                         | 128",
            "{\"inputText\":\"x\",\"textGenerationConfig\":{\"maxTokenCount\":64}}           | 64",
            "{\"messages\":[]}                                                               | -1",
    })
    void theOutputCapIsFoundInEachRequestShape(String body, long cap) {
        assertEquals(cap < 0 ? OptionalLong.empty() : OptionalLong.of(cap), Estimate.outputCapOf(Buffer.buffer(body)));
    }

    @ParameterizedTest
    @CsvSource({"400, 0", "401, 1"})
    void inputTokensAreTheBodysBytesOverFourRoundedUp(int extraBytes, int extraToken) {
        LimitsConfig.Limits config = new LimitsConfig.Limits() {
            public long defaultMaxTokens() {
                return 1000;
            }

            public int bodyBytesPerToken() {
                return 4;
            }
        };
        Buffer body = Buffer.buffer("x".repeat(extraBytes));
        PriceTable prices = PriceTable.of(java.util.Map.of());
        Estimate estimate = Estimate.of(body, "some.model-v1", prices, config);
        assertEquals(100 + extraToken, estimate.inputTokens());
        assertEquals(1000, estimate.outputTokens(), "no cap named: the default");
        assertEquals(BigDecimal.ZERO, estimate.costUsd(), "unpriced: nothing reserved");
    }
}
