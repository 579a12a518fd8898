package dev.bedrocktenant.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/** Usages for ledger tests. */
public final class TestUsages {

    public static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
    public static final String ARN = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01";

    private TestUsages() {
    }

    /** A successful Converse for acme with all four counts reported. */
    public static Usage usage(String requestId, Instant at) {
        return usage(requestId, at, "acme", HAIKU, new BigDecimal("0.000425"));
    }

    public static Usage usage(String requestId, Instant at, String tenant, String model, BigDecimal cost) {
        return new Usage(at, requestId, tenant, model, Optional.of(ARN), "Converse",
                new TokenUsage(OptionalLong.of(1000), OptionalLong.of(140), OptionalLong.of(200), OptionalLong.of(0)),
                cost, true, 200, Outcome.SUCCESS, false, Duration.ofMillis(812), Optional.empty());
    }

    /** A stream cut off before Bedrock reported usage: nothing reported, partial, no profile. */
    public static Usage cutOff(String requestId, Instant at) {
        return new Usage(at, requestId, "globex", HAIKU, Optional.empty(), "ConverseStream",
                TokenUsage.NOT_REPORTED, BigDecimal.ZERO, false, 200, Outcome.SERVER_ERROR, true,
                Duration.ofMillis(30_001), Optional.of(Duration.ofMillis(420)));
    }
}
