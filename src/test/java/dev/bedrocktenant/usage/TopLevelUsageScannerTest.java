package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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

    /**
     * A usage object the chunk holds whole is read in one go; split into single bytes, byte by byte. Both must
     * agree on every object, well formed or not: the counts found, or the error.
     */
    @Test
    void theUsageReadInOneGoIsWhatReadingItByteByByteGives() {
        String[] keys = {"inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens", "totalTokens",
                "in\\u0070utTokens", "aKeyLongerThanAnyCountThatMatters", ""};
        String[] values = {"0", "7", "120", "123456789012345678", "1234567890123456789", "null", "nul", "-1", "1.5",
                "2e3", "\"9\"", "{}", "{\"a\":1}", "[1]", "true", ""};
        String[] spaces = {"", "", " ", "\n\t ", "\r"};
        String[] separators = {",", ",", ",", "", ",,", ":", "}"};
        // what follows the usage object: the rest of a response, its end, or (malformed) a second usage with no comma
        String[] after = {",\"metrics\":{\"latencyMs\":1}}", "}", "\"usage\":{\"inputTokens\":5}}"};
        SplittableRandom random = new SplittableRandom(20261125);
        int agreedOnCounts = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder usage = new StringBuilder("{").append(spaces[random.nextInt(spaces.length)]);
            int members = random.nextInt(6);
            for (int m = 0; m < members; m++) {
                if (m > 0) {
                    usage.append(separators[random.nextInt(separators.length)]).append(spaces[random.nextInt(spaces.length)]);
                }
                usage.append('"').append(keys[random.nextInt(keys.length)]).append('"')
                        .append(spaces[random.nextInt(spaces.length)]).append(':')
                        .append(spaces[random.nextInt(spaces.length)])
                        .append(random.nextInt(3) > 0 ? String.valueOf(random.nextInt(100_000)) : values[random.nextInt(values.length)])
                        .append(spaces[random.nextInt(spaces.length)]);
            }
            byte[] body = ("{\"output\":{\"message\":{\"content\":[{\"text\":\"Hi\"}]}},\"usage\":" + usage
                    + "}" + after[random.nextInt(after.length)]).getBytes(StandardCharsets.UTF_8);
            String inOneGo = outcome(body, body.length);
            assertEquals(outcome(body, 1), inOneGo, new String(body, StandardCharsets.UTF_8));
            if (inOneGo.startsWith("Optional[")) {
                agreedOnCounts++;
            }
        }
        assertTrue(agreedOnCounts > 2_000, "too few well-formed objects generated: " + agreedOnCounts);
    }

    /** The usage found, or the error, feeding {@code body} in chunks of {@code chunk} bytes. */
    private static String outcome(byte[] body, int chunk) {
        TopLevelUsageScanner scanner = new TopLevelUsageScanner();
        try {
            for (int at = 0; at < body.length; at += chunk) {
                scanner.feed(body, at, Math.min(chunk, body.length - at));
            }
            scanner.endOfInput();
            return scanner.usage().toString();
        } catch (MalformedUsage e) {
            return "malformed: " + e.getMessage();
        }
    }
}
