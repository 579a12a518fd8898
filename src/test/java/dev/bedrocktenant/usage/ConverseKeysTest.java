package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConverseKeysTest {

    private static final Map<String, Integer> SLOTS = Map.of(
            "inputTokens", TokenCounts.INPUT, "outputTokens", TokenCounts.OUTPUT,
            "cacheReadInputTokens", TokenCounts.CACHE_READ, "cacheWriteInputTokens", TokenCounts.CACHE_WRITE);

    /** A key as the scanner holds it: in an array of its own size, the bytes after the key left from earlier keys. */
    private static byte[] key(String text, byte leftOver) {
        byte[] key = new byte[ConverseKeys.MAX_BYTES];
        Arrays.fill(key, leftOver);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, key, 0, bytes.length);
        return key;
    }

    @Test
    void tellsEachCountOfTokenUsageByItsBytesWhateverBytesFollowItInTheArray() {
        SLOTS.forEach((name, slot) -> {
            for (byte leftOver : new byte[] {0, 'x', (byte) 0xFF}) {
                assertEquals(slot, ConverseKeys.countSlot(key(name, leftOver), name.length()), name);
                assertEquals(ConverseKeys.NONE, ConverseKeys.topLevelKey(key(name, leftOver), name.length()), name);
            }
        });
        for (byte leftOver : new byte[] {0, 's', (byte) 0xFF}) {
            assertEquals(ConverseKeys.USAGE, ConverseKeys.topLevelKey(key("usage", leftOver), 5));
            assertEquals(ConverseKeys.NONE, ConverseKeys.countSlot(key("usage", leftOver), 5));
            assertEquals(ConverseKeys.SERVICE_TIER, ConverseKeys.topLevelKey(key("serviceTier", leftOver), 11));
            assertEquals(ConverseKeys.CACHE_DETAILS, ConverseKeys.countSlot(key("cacheDetails", leftOver), 12));
            assertEquals(ConverseKeys.NONE, ConverseKeys.topLevelKey(key("cacheDetails", leftOver), 12));
        }
    }

    @Test
    void takesNoKeyThatDiffersInOneByteOrInLength() {
        for (String name : SLOTS.keySet()) {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            // every byte changed, one at a time: to its neighbours, its high-bit twin, its other case
            for (int i = 0; i < bytes.length; i++) {
                for (int change : new int[] {1, -1, 0x80, 'a' - 'A'}) {
                    byte[] altered = key(name, (byte) 0);
                    altered[i] = (byte) (bytes[i] ^ change);
                    assertEquals(ConverseKeys.NONE, ConverseKeys.countSlot(altered, bytes.length), new String(altered));
                }
            }
            byte[] key = key(name, (byte) 's');
            assertEquals(ConverseKeys.NONE, ConverseKeys.countSlot(key, bytes.length - 1), name + " cut short");
            if (bytes.length < key.length) {
                assertEquals(ConverseKeys.NONE, ConverseKeys.countSlot(key, bytes.length + 1), name + "s");
            }
        }
        // reported by Bedrock, but not a count the proxy keeps
        assertEquals(ConverseKeys.NONE, ConverseKeys.countSlot(key("totalTokens", (byte) 0), 11));
        assertEquals(ConverseKeys.NONE, ConverseKeys.topLevelKey(key("Usage", (byte) 0), 5));
        assertEquals(ConverseKeys.NONE, ConverseKeys.topLevelKey(key("usages", (byte) 0), 6));
        assertEquals(ConverseKeys.NONE, ConverseKeys.topLevelKey(key("usag", (byte) 0), 4));
        assertEquals(ConverseKeys.NONE, ConverseKeys.topLevelKey(key("", (byte) 0), 0));
        assertEquals(ConverseKeys.NONE, ConverseKeys.topLevelKey(key("serviceTie", (byte) 0), 10));
    }
}
