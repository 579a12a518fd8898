package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
