package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class TopLevelUsageScannerTest {

    /** The first quote or backslash from {@code from}, one byte at a time. */
    private static int naive(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == '"' || bytes[i] == '\\') {
                return i;
            }
        }
        return end;
    }

    @Test
    void findsTheFirstQuoteOrBackslashEightBytesAtATimeAsOneAtATimeWould() {
        // bytes around the two (0x21-0x23, 0x5B-0x5D), their high-bit twins (0xA2, 0xDC) and zero, densely
        // enough that words hold none, one or several; every start and end position
        byte[] alphabet = {'"', '\\', '!', '#', '[', ']', (byte) 0xA2, (byte) 0xDC, 0, 'a', (byte) 0xFF, 0x7F};
        SplittableRandom random = new SplittableRandom(20261124);
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[random.nextInt(1, 40)];
            int density = random.nextInt(1, 40); // one in `density` bytes is a quote or backslash
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(density) == 0 ? alphabet[random.nextInt(2)]
                        : alphabet[2 + random.nextInt(alphabet.length - 2)];
            }
            for (int from = 0; from <= bytes.length; from++) {
                for (int end = from; end <= bytes.length; end++) {
                    assertEquals(naive(bytes, from, end), TopLevelUsageScanner.quoteOrEscape(bytes, from, end));
                }
            }
        }
    }

    @Test
    void readsCountsWhateverWhitespaceSurroundsThem() {
        assertReads("{\"output\":{\"text\":\"Hi\"},\"usage\": {\n\t\"inputTokens\" :\r120 ,\"outputTokens\":40\n,"
                + " \"cacheReadInputTokens\": 30 , \"cacheWriteInputTokens\":0 } ,\"metrics\":{\"latencyMs\":1}}",
                Tokens.of(120, 40, 30L, 0L));
    }

    @Test
    void anEmptyUsageOrANullCountReportsNoCount() {
        assertReads("{\"usage\":{}}", new TokenUsage(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty()));
        assertReads("{\"usage\":{\"inputTokens\":7,\"outputTokens\":null}}",
                new TokenUsage(OptionalLong.of(7), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()));
    }

    @Test
    void keysThatOnlyResembleACountAreNotTaken() {
        // spelled with an escape, longer than any count's name, empty, and totalTokens (the sum, not read)
        assertReads("{\"usage\":{\"in\\u0070utTokens\":1,\"inputTokensAndThenSomeMore\":2,\"\":3,\"totalTokens\":4,"
                + "\"inputTokens\":5,\"outputTokens\":6}}", Tokens.of(5, 6, null, null));
    }

    @Test
    void aCountOfEighteenDigitsIsTakenAndOneOfNineteenIsTooLarge() {
        assertReads("{\"usage\":{\"inputTokens\":123456789012345678,\"outputTokens\":1}}",
                Tokens.of(123456789012345678L, 1, null, null));
        assertMalformed("{\"usage\":{\"inputTokens\":1234567890123456789,\"outputTokens\":1}}",
                "usage field inputTokens is too large");
    }

    @Test
    void aCountThatIsNotANonNegativeIntegerIsMalformedAndNamed() {
        for (String value : new String[] {"-1", "\"9\"", "{}", "[1]", "true"}) {
            assertMalformed("{\"usage\":{\"outputTokens\":" + value + "}}",
                    "usage field outputTokens is not a non-negative integer");
        }
        for (String value : new String[] {"1.5", "2e3", "2E3"}) {
            assertMalformed("{\"usage\":{\"outputTokens\":" + value + "}}", "usage field outputTokens is not an integer");
        }
    }

    @Test
    void aStrayCommaInTheUsageIsMalformed() {
        assertMalformed("{\"usage\":{\"inputTokens\":1,,\"outputTokens\":2}}", "a comma before ,");
        assertMalformed("{\"usage\":{\"inputTokens\":1,}}", "a comma before }");
    }

    @Test
    void aMissingCommaOrColonIsMalformedRatherThanAMemberPassedOver() {
        assertMalformed("{\"usage\":{\"inputTokens\":1 \"outputTokens\":2}}", "'\"' where a comma or a closing brace should be");
        assertMalformed("{\"usage\":{\"inputTokens\":1,\"outputTokens\" 2}}", "'2' where a colon should be");
        assertMalformed("{\"usage\":{\"inputTokens\":1}\"usage\":{\"inputTokens\":5}}",
                "'\"' where a comma or a closing brace should be");
    }

    /** Fed whole and one byte at a time (a count, a key or an escape then spans chunks), it reads as expected. */
    private static void assertReads(String json, TokenUsage expected) {
        assertEquals(Optional.of(expected), read(json, json.length()), json);
        assertEquals(Optional.of(expected), read(json, 1), json + " byte by byte");
    }

    private static void assertMalformed(String json, String message) {
        assertEquals(message, assertThrows(MalformedUsage.class, () -> read(json, json.length())).getMessage(), json);
        assertEquals(message, assertThrows(MalformedUsage.class, () -> read(json, 1)).getMessage(), json + " byte by byte");
    }

    /** The usage found feeding {@code json} in chunks of {@code chunk} bytes. */
    private static Optional<TokenUsage> read(String json, int chunk) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        TopLevelUsageScanner scanner = new TopLevelUsageScanner();
        for (int at = 0; at < body.length; at += chunk) {
            scanner.feed(body, at, Math.min(chunk, body.length - at));
        }
        scanner.endOfInput();
        return scanner.usage();
    }
}
