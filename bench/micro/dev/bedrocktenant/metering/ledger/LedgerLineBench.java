package dev.bedrocktenant.metering.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;

/**
 * Encoding one ledger line, as the ledger does it: into the thread's reused buffer (which remembers the previous
 * line's tenant, model, profile and operation), from a Usage with a profile ARN, three of four counts and a
 * seven-digit cost (1024 different ones, in turn; the model id a distinct String each, as a request's is). Prints
 * ns per line for each of 12 rounds of 2 million; bench/metering-micro.sh runs several JVMs.
 */
public final class LedgerLineBench {

    public static void main(String[] args) {
        String arn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01";
        Usage[] usages = new Usage[1024];
        for (int i = 0; i < usages.length; i++) {
            usages[i] = new Usage(Instant.now().plusMillis(i * 37L), UUID.randomUUID().toString(), "acme",
                    new String("anthropic.claude-3-haiku-20240307-v1:0"), Optional.of(arn), "Converse",
                    new TokenUsage(OptionalLong.of(120), OptionalLong.of(40), OptionalLong.of(30),
                            OptionalLong.empty()),
                    new BigDecimal("0.0000835").add(BigDecimal.valueOf(i, 7)), true, 200, Outcome.SUCCESS, false,
                    Duration.ofMillis(12), Optional.empty());
        }
        LedgerLine.LineBuffer line = new LedgerLine.LineBuffer();
        long bytes = 0;
        for (int round = 0; round < 12; round++) {
            long n = 2_000_000;
            long start = System.nanoTime();
            for (long i = 0; i < n; i++) {
                bytes += LedgerLine.encode(usages[(int) (i & 1023)], line);
            }
            System.out.printf("round %d: %.1f ns/op%n", round, (System.nanoTime() - start) / (double) n);
        }
        if (bytes < 12 * 2_000_000L * 300) {
            throw new AssertionError("lines too short: " + bytes);
        }
    }
}
