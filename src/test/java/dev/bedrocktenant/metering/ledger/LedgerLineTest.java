package dev.bedrocktenant.metering.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.metering.Usages;
import dev.bedrocktenant.usage.Outcome;
import dev.bedrocktenant.usage.TokenUsage;
import dev.bedrocktenant.usage.Usage;
import org.junit.jupiter.api.Test;

class LedgerLineTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30.123456789Z");

    @Test
    void writesTheContractFieldsInOrder() {
        assertEquals("{\"ts\":\"2026-11-24T10:15:30.123Z\",\"requestId\":\"7f1c0e2a-5b9d-4f3e-a1c2-0d9e8f7a6b5c\","
                        + "\"tenant\":\"acme\",\"model\":\"anthropic.claude-3-haiku-20240307-v1:0\","
                        + "\"profileArn\":\"arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01\","
                        + "\"operation\":\"Converse\",\"inputTokens\":1000,\"outputTokens\":140,\"cacheReadTokens\":200,"
                        + "\"cacheWriteTokens\":0,\"costUsd\":\"0.000425\",\"status\":200,\"outcome\":\"success\","
                        + "\"partial\":false,\"latencyMs\":812,\"cacheWrite5mTokens\":0,\"cacheWrite1hTokens\":0,"
                        + "\"serviceTier\":null}",
                LedgerLine.encode(TestUsages.usage("7f1c0e2a-5b9d-4f3e-a1c2-0d9e8f7a6b5c", AT)));
    }

    @Test
    void notReportedIsNullNotZero() {
        assertEquals("{\"ts\":\"2026-11-24T00:00:00.000Z\",\"requestId\":\"r-2\",\"tenant\":\"globex\","
                        + "\"model\":\"anthropic.claude-3-haiku-20240307-v1:0\",\"profileArn\":null,"
                        + "\"operation\":\"ConverseStream\",\"inputTokens\":null,\"outputTokens\":null,"
                        + "\"cacheReadTokens\":null,\"cacheWriteTokens\":null,\"costUsd\":\"0\",\"status\":200,"
                        + "\"outcome\":\"server_error\",\"partial\":true,\"latencyMs\":30001,\"cacheWrite5mTokens\":null,"
                        + "\"cacheWrite1hTokens\":null,\"serviceTier\":null}",
                LedgerLine.encode(TestUsages.cutOff("r-2", Instant.parse("2026-11-24T00:00:00Z"))));
    }

    @Test
    void aTokenTypeTheResponseLeftOutIsZeroAndNoTokensUsedIsZeroNotNull() {
        Usage noCache = Usages.success("acme", TestUsages.HAIKU, 1000, 140, "0.000425", 812);
        assertTrue(LedgerLine.encode(noCache).contains("\"inputTokens\":1000,\"outputTokens\":140,"
                + "\"cacheReadTokens\":0,\"cacheWriteTokens\":0,"), LedgerLine.encode(noCache));
        Usage refused = Usages.failed("acme", TestUsages.HAIKU, 403, Outcome.REJECTED, 1);
        assertTrue(LedgerLine.encode(refused).contains("\"inputTokens\":0,\"outputTokens\":0,"
                + "\"cacheReadTokens\":0,\"cacheWriteTokens\":0,"), LedgerLine.encode(refused));
    }

    @Test
    void writesEveryCostWithExactlyTheCharactersOfToPlainString() {
        Random random = new Random(20261124);
        List<BigDecimal> costs = new ArrayList<>(List.of(new BigDecimal("0"), new BigDecimal("0E-30"),
                new BigDecimal("1E+3"), new BigDecimal("-0.5"), new BigDecimal("99999999999999999"), // 17 digits
                new BigDecimal("0.99999999999999999"), new BigDecimal("9.9999999999999999"),
                new BigDecimal("999999999999999999"), new BigDecimal("0.000000000000000001"))); // 18: toPlainString's
        for (int i = 0; i < 20_000; i++) { // every digit count and sign, scales around where whole and fraction split
            long unscaled = random.nextLong() / (long) Math.pow(10, random.nextInt(19));
            costs.add(BigDecimal.valueOf(unscaled, random.nextInt(28) - 3));
        }
        for (BigDecimal cost : costs) {
            String line = LedgerLine.encode(LedgerEntry.of(TestUsages.usage("r", AT, "acme", TestUsages.HAIKU, cost)));
            assertTrue(line.contains(",\"costUsd\":\"" + cost.toPlainString() + "\","), cost + " in " + line);
        }
    }

    @Test
    void roundTripIsExact() {
        for (String cost : new String[] {"0.000425", "0.0004250", "0", "0E-7", "123456789.123456789012345", "1E-10"}) {
            LedgerEntry entry = LedgerEntry.of(TestUsages.usage("r-1", AT, "acme", TestUsages.HAIKU, new BigDecimal(cost)));
            String line = LedgerLine.encode(entry);
            LedgerEntry back = LedgerEntry.parse(line);
            assertEquals(entry, back, cost);
            assertEquals(new BigDecimal(cost).toPlainString(), back.costUsd().toPlainString());
            assertEquals(line, LedgerLine.encode(back));
        }
        LedgerEntry cutOff = LedgerEntry.of(TestUsages.cutOff("r-2", AT));
        assertEquals(cutOff, LedgerEntry.parse(LedgerLine.encode(cutOff)));
        assertEquals(Optional.empty(), cutOff.profileArn());
        assertEquals(Outcome.SERVER_ERROR, cutOff.outcome());
    }

    @Test
    void escapesWhatJsonMust() {
        LedgerEntry entry = LedgerEntry.of(TestUsages.usage("id \"quoted\" \\ \n é", AT, "acme", "m", BigDecimal.ONE));
        String line = LedgerLine.encode(entry);
        assertTrue(line.indexOf('\n') < 0, "one line per request");
        assertEquals(entry, LedgerEntry.parse(line));
    }

    @Test
    void isExactlyWhatJacksonWritesForTheSameFields() throws Exception {
        StringBuilder awkward = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            awkward.append(c);
        }
        awkward.append("é€\u2028\u2029\uD83D\uDE00</script>");
        // (the long ones outgrow the line's first buffer, plain and escaped)
        for (String text : new String[] {"plain", awkward.toString(), "", "long".repeat(1000), awkward.toString().repeat(30)}) {
            LedgerEntry entry = LedgerEntry.of(TestUsages.usage(text, AT, text, text, new BigDecimal("0.5")));
            entry = new LedgerEntry(entry.timestamp(), entry.requestId(), entry.tenant(), entry.model(),
                    entry.profileArn(), entry.operation(), entry.tokens(), entry.costUsd(), entry.status(),
                    entry.outcome(), entry.partial(), entry.latencyMs(), Optional.of(text));
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("ts", "2026-11-24T10:15:30.123Z");
            fields.put("requestId", text);
            fields.put("tenant", text);
            fields.put("model", text);
            fields.put("profileArn", entry.profileArn().orElse(null));
            fields.put("operation", entry.operation());
            fields.put("inputTokens", entry.tokens().inputTokens().getAsLong());
            fields.put("outputTokens", entry.tokens().outputTokens().getAsLong());
            fields.put("cacheReadTokens", entry.tokens().cacheReadTokens().getAsLong());
            fields.put("cacheWriteTokens", entry.tokens().cacheWriteTokens().getAsLong());
            fields.put("costUsd", "0.5");
            fields.put("status", entry.status());
            fields.put("outcome", entry.outcome().label);
            fields.put("partial", entry.partial());
            fields.put("latencyMs", entry.latencyMs());
            fields.put("cacheWrite5mTokens", entry.tokens().cacheWrite5mTokens().getAsLong());
            fields.put("cacheWrite1hTokens", entry.tokens().cacheWrite1hTokensKnown().getAsLong());
            fields.put("serviceTier", text);
            assertEquals(new ObjectMapper().writeValueAsString(fields), LedgerLine.encode(entry));
        }
    }

    @Test
    void splitsCacheWritesByTtlAndNamesTheServedTierAtTheEndOfTheLine() {
        Usage usage = TestUsages.usage("r-3", AT, "acme", TestUsages.HAIKU, new BigDecimal("0.01"));
        usage = new Usage(usage.timestamp(), usage.requestId(), usage.tenant(), usage.model(), usage.profileArn(),
                usage.operation(), new TokenUsage(OptionalLong.of(10), OptionalLong.of(5), OptionalLong.of(0),
                OptionalLong.of(3000), OptionalLong.of(1000)), usage.costUsd(), true, 200, Outcome.SUCCESS, false,
                usage.latency(), Optional.empty(), Optional.of("priority"), true);
        String line = LedgerLine.encode(usage);
        assertTrue(line.contains(",\"cacheWriteTokens\":3000,\"costUsd\":"), line);
        assertTrue(line.endsWith(",\"cacheWrite5mTokens\":2000,\"cacheWrite1hTokens\":1000,\"serviceTier\":\"priority\"}"),
                line);
        LedgerEntry back = LedgerEntry.parse(line);
        assertEquals(LedgerEntry.of(usage), back);
        assertEquals(Optional.of("priority"), back.serviceTier());
        assertEquals(OptionalLong.of(1000), back.tokens().cacheWrite1hTokens());
    }

    @Test
    void readsALineWrittenBeforeTheTtlSplitAndTheTierAsFiveMinuteWritesAndNoTier() {
        LedgerEntry old = LedgerEntry.parse("{\"ts\":\"2026-11-24T10:15:30.123Z\",\"requestId\":\"r\",\"tenant\":\"acme\","
                + "\"model\":\"m\",\"profileArn\":null,\"operation\":\"Converse\",\"inputTokens\":1,\"outputTokens\":2,"
                + "\"cacheReadTokens\":0,\"cacheWriteTokens\":40,\"costUsd\":\"0.1\",\"status\":200,\"outcome\":\"success\","
                + "\"partial\":false,\"latencyMs\":5}");
        assertEquals(OptionalLong.of(40), old.tokens().cacheWrite5mTokens());
        assertEquals(OptionalLong.of(0), old.tokens().cacheWrite1hTokensKnown());
        assertEquals(Optional.empty(), old.serviceTier());
    }

    @Test
    void writesNumbersOfEveryLengthExactly() {
        for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) { // 1 … 10^18
            for (long count : new long[] {power - 1, power, Long.MAX_VALUE}) { // every length from 1 to 19 digits
                LedgerEntry entry = new LedgerEntry(AT.truncatedTo(ChronoUnit.MILLIS), "r", "acme", "m",
                        Optional.empty(), "Converse",
                        new TokenUsage(OptionalLong.of(count), OptionalLong.of(0), OptionalLong.empty(),
                                OptionalLong.of(count / 7), OptionalLong.of(count / 21)),
                        BigDecimal.ZERO, 200, Outcome.SUCCESS, false, count);
                String line = LedgerLine.encode(entry);
                assertTrue(line.contains("\"inputTokens\":" + count + ",\"outputTokens\":0,\"cacheReadTokens\":null,"
                        + "\"cacheWriteTokens\":" + count / 7 + ","), line);
                assertTrue(line.endsWith(",\"latencyMs\":" + count + ",\"cacheWrite5mTokens\":" + (count / 7 - count / 21)
                        + ",\"cacheWrite1hTokens\":" + count / 21 + ",\"serviceTier\":null}"), line);
                assertEquals(entry, LedgerEntry.parse(line));
            }
        }
    }

    @Test
    void aThreadsReusedBufferWritesEveryLineAsAFreshOneWould() {
        // lines in a random order of tenants, models, profiles and operations (one needing escapes), so the bytes
        // remembered from the previous line are right to reuse sometimes and wrong to reuse the rest
        String[] tenants = {"acme", "globex", "ac\"me"};
        String[] models = {TestUsages.HAIKU, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", new String(TestUsages.HAIKU)};
        List<Optional<String>> profiles = List.of(Optional.of(TestUsages.ARN), Optional.empty(),
                Optional.of(TestUsages.ARN.replace("acme0haiku01", "globex0haiku1")));
        String[] operations = {"Converse", "ConverseStream"};
        Random random = new Random(7);
        LedgerLine.LineBuffer buffer = new LedgerLine.LineBuffer();
        for (int i = 0; i < 2_000; i++) {
            Usage usage = TestUsages.usage("r-" + i, AT, tenants[random.nextInt(3)], models[random.nextInt(3)],
                    new BigDecimal("0.000425"));
            usage = new Usage(usage.timestamp(), usage.requestId(), usage.tenant(), usage.model(),
                    profiles.get(random.nextInt(3)), operations[random.nextInt(2)], usage.tokens(), usage.costUsd(),
                    usage.priced(), usage.status(), usage.outcome(), usage.partial(), usage.latency(),
                    usage.timeToFirstToken());
            int length = LedgerLine.encode(usage, buffer);
            assertEquals(LedgerLine.encode(usage) + "\n",
                    new String(buffer.line.byteArray(), 0, length, StandardCharsets.UTF_8), "line " + i);
        }
    }

    @Test
    void refusesTornOrForeignLines() {
        String line = LedgerLine.encode(TestUsages.usage("r-1", AT));
        for (int cut = 0; cut < line.length() - 1; cut += 7) {
            String torn = line.substring(0, cut);
            assertThrows(IllegalArgumentException.class, () -> LedgerEntry.parse(torn), torn);
        }
        assertThrows(IllegalArgumentException.class, () -> LedgerEntry.parse(line + line));
        assertThrows(IllegalArgumentException.class, () -> LedgerEntry.parse(line.replace("\"1000\"", "x")
                .replace("\"inputTokens\":1000", "\"inputTokens\":1.5")));
        assertThrows(IllegalArgumentException.class, () -> LedgerEntry.parse(line.replace("success", "fine")));
        assertThrows(IllegalArgumentException.class, () -> LedgerEntry.parse(line.replace("\"0.000425\"", "0.000425")));
        assertThrows(IllegalArgumentException.class, () -> LedgerEntry.parse("[]"));
    }
}
