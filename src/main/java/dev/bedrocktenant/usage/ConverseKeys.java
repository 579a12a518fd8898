package dev.bedrocktenant.usage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tells the keys the Converse scanner reads by their bytes: {@code usage} at the top level, and the four counts of
 * {@link TokenFieldNames#CONVERSE} inside it. Each name is held as its bytes packed eight to a long, in constants
 * that the JIT puts into the comparison itself. Matched against the names' {@code String}s instead, every
 * response loaded those objects and their arrays from memory that the requests in between had since used: a
 * fifth of the scan's cost under load (bench/README.md).
 */
final class ConverseKeys {

    /** No key of interest. */
    static final int NONE = -1;
    /** Longer than any key of interest: room for the three longs a key is compared by. */
    static final int MAX_BYTES = 3 * Long.BYTES;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final String USAGE = "usage";
    private static final int USAGE_LENGTH = USAGE.length();
    private static final long USAGE_0 = word(USAGE, 0);
    private static final TokenFieldNames NAMES = TokenFieldNames.CONVERSE;
    private static final int INPUT_LENGTH = NAMES.input().length();
    private static final long INPUT_0 = word(NAMES.input(), 0);
    private static final long INPUT_1 = word(NAMES.input(), 1);
    private static final long INPUT_2 = word(NAMES.input(), 2);
    private static final int OUTPUT_LENGTH = NAMES.output().length();
    private static final long OUTPUT_0 = word(NAMES.output(), 0);
    private static final long OUTPUT_1 = word(NAMES.output(), 1);
    private static final long OUTPUT_2 = word(NAMES.output(), 2);
    private static final int CACHE_READ_LENGTH = NAMES.cacheRead().length();
    private static final long CACHE_READ_0 = word(NAMES.cacheRead(), 0);
    private static final long CACHE_READ_1 = word(NAMES.cacheRead(), 1);
    private static final long CACHE_READ_2 = word(NAMES.cacheRead(), 2);
    private static final int CACHE_WRITE_LENGTH = NAMES.cacheWrite().length();
    private static final long CACHE_WRITE_0 = word(NAMES.cacheWrite(), 0);
    private static final long CACHE_WRITE_1 = word(NAMES.cacheWrite(), 1);
    private static final long CACHE_WRITE_2 = word(NAMES.cacheWrite(), 2);

    private ConverseKeys() {
    }

    /** Whether the first {@code length} bytes of {@code key} (an array of {@link #MAX_BYTES} or more) spell usage. */
    static boolean isUsage(byte[] key, int length) {
        return length == USAGE_LENGTH && word(key, length, 0) == USAGE_0;
    }

    /** The {@link TokenCounts} slot the first {@code length} bytes of {@code key} name, or {@link #NONE}. */
    static int countSlot(byte[] key, int length) {
        long w0 = word(key, length, 0);
        long w1 = word(key, length, 1);
        long w2 = word(key, length, 2);
        if (length == INPUT_LENGTH && w0 == INPUT_0 && w1 == INPUT_1 && w2 == INPUT_2) {
            return TokenCounts.INPUT;
        }
        if (length == OUTPUT_LENGTH && w0 == OUTPUT_0 && w1 == OUTPUT_1 && w2 == OUTPUT_2) {
            return TokenCounts.OUTPUT;
        }
        if (length == CACHE_READ_LENGTH && w0 == CACHE_READ_0 && w1 == CACHE_READ_1 && w2 == CACHE_READ_2) {
            return TokenCounts.CACHE_READ;
        }
        if (length == CACHE_WRITE_LENGTH && w0 == CACHE_WRITE_0 && w1 == CACHE_WRITE_1 && w2 == CACHE_WRITE_2) {
            return TokenCounts.CACHE_WRITE;
        }
        return NONE;
    }

    /** Eight bytes of the key (its first {@code length}) from {@code 8 * index}, little-endian, zero past its end. */
    private static long word(byte[] key, int length, int index) {
        int from = index * Long.BYTES;
        if (from >= length) {
            return 0;
        }
        long word = (long) LONGS.get(key, from);
        int bytes = length - from;
        return bytes >= Long.BYTES ? word : word & (1L << (bytes * Byte.SIZE)) - 1;
    }

    private static long word(String name, int index) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > MAX_BYTES) {
            throw new IllegalStateException("a key the scanner reads is longer than " + MAX_BYTES + " bytes: " + name);
        }
        return word(Arrays.copyOf(bytes, MAX_BYTES), bytes.length, index);
    }
}
