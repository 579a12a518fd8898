package dev.bedrocktenant.metering.ledger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import dev.bedrocktenant.bench.Rounds;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import org.agrona.ExpandableArrayBuffer;

/**
 * Encoding one ledger line into the thread's reused buffer, from a Usage with a profile ARN, three of four counts
 * and a seven-digit cost (1024 different ones, in turn, 2 ms apart; the model id a distinct String each, as a
 * request's is). Variants, one per JVM:
 * <ul>
 *   <li>{@code hand}: as the ledger does it ({@link LedgerLine}, its buffer remembering the previous line's
 *       tenant, model, profile and operation);</li>
 *   <li>{@code hand-nomemo}: the same encoder without that memo;</li>
 *   <li>{@code jackson}: a {@code JsonGenerator} per line and {@code DateTimeFormatter} ({@link JacksonLedgerLine}).</li>
 * </ul>
 * Every variant's lines are checked equal to the ledger's before timing.
 */
public final class LedgerLineBench {

    public static void main(String[] args) throws Throwable {
        String arn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01";
        Instant start = Instant.parse("2026-11-24T10:15:30.123Z");
        Usage[] usages = new Usage[Rounds.INPUTS];
        for (int i = 0; i < usages.length; i++) {
            usages[i] = new Usage(start.plusMillis(2L * i), UUID.randomUUID().toString(), "acme",
                    new String("anthropic.claude-3-haiku-20240307-v1:0".toCharArray()), Optional.of(arn), "Converse",
                    new TokenUsage(OptionalLong.of(120), OptionalLong.of(40), OptionalLong.of(30),
                            OptionalLong.empty()),
                    new BigDecimal("0.0000835").add(BigDecimal.valueOf(i, 7)), true, 200, Outcome.SUCCESS, false,
                    Duration.ofMillis(12), Optional.empty());
        }
        LedgerLine.LineBuffer memo = new LedgerLine.LineBuffer();
        ExpandableArrayBuffer line = new ExpandableArrayBuffer(LedgerLine.TYPICAL_BYTES);
        Rounds.Op op = switch (args[0]) {
            case "hand" -> i -> LedgerLine.encode(usages[i], memo);
            case "hand-nomemo" -> i -> LedgerLine.encode(usages[i], line);
            case "jackson" -> i -> JacksonLedgerLine.encode(usages[i], line);
            default -> throw new IllegalArgumentException("variant: hand, hand-nomemo, or jackson");
        };
        for (int i = 0; i < usages.length; i++) {
            int length = (int) op.run(i);
            byte[] bytes = args[0].equals("hand") ? memo.line.byteArray() : line.byteArray();
            String written = new String(bytes, 0, length, StandardCharsets.UTF_8);
            if (!written.equals(LedgerLine.encode(usages[i]) + "\n")) {
                throw new AssertionError("not the ledger's line: " + written);
            }
        }
        Rounds.run(1, op);
    }
}
