package dev.bedrocktenant.usage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tells the keys the Converse scanner reads by their bytes: {@code usage} and {@code serviceTier} at the top level,
 * and the four counts of {@link TokenFieldNames#CONVERSE} and {@code cacheDetails} inside usage. Each name is held as its bytes packed eight to a long, in constants
 * that the JIT puts into the comparison itself. Matched against the names' {@code String}s instead, every
 * response loaded those objects and their arrays from memory that the requests in between had since used: a
 * fifth of the scan's cost under load (bench/README.md).
 */
final class ConverseKeys {

    /** No key of interest. */
    static final int NONE = -1;
    /** {@code usage}, at the top level. */
    static final int USAGE = 4;
    /** {@code serviceTier}, at the top level: the tier Bedrock served the request in. */
    static final int SERVICE_TIER = 5;
    /** {@code cacheDetails}, in usage: the cache writes by TTL (after the four count slots of {@link TokenCounts}). */
    static final int CACHE_DETAILS = 6;
    /** Longer than any key of interest: room for the three longs a key is compared by. */
    static final int MAX_BYTES = 3 * Long.BYTES;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final Spelling USAGE_KEY = Spelling.of("usage");
    private static final Spelling INPUT = Spelling.of(TokenFieldNames.CONVERSE.input());
    private static final Spelling OUTPUT = Spelling.of(TokenFieldNames.CONVERSE.output());
    private static final Spelling CACHE_READ = Spelling.of(TokenFieldNames.CONVERSE.cacheRead());
    private static final Spelling CACHE_WRITE = Spelling.of(TokenFieldNames.CONVERSE.cacheWrite());
    private static final Spelling CACHE_DETAILS_KEY = Spelling.of("cacheDetails");
    private static final Spelling SERVICE_TIER_KEY = Spelling.of("serviceTier");

    /** A name's length and its bytes, eight to a long (a record in a static final: its fields fold too). */
    private record Spelling(int length, long word0, long word1, long word2) {

        static Spelling of(String name) {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException("a key the scanner reads is over " + MAX_BYTES + " bytes: " + name);
            }
            byte[] key = Arrays.copyOf(bytes, MAX_BYTES);
            return new Spelling(bytes.length, word(key, bytes.length, 0), word(key, bytes.length, 1),
                    word(key, bytes.length, 2));
        }

        boolean spelledBy(int keyLength, long key0, long key1, long key2) {
            return keyLength == length && key0 == word0 && key1 == word1 && key2 == word2;
        }
    }

    private ConverseKeys() {
    }

    /** {@link #USAGE} or {@link #SERVICE_TIER} when the first {@code length} bytes of {@code key} spell it, else {@link #NONE}. */
    static int topLevelKey(byte[] key, int length) {
        long key0 = word(key, length, 0);
        long key1 = word(key, length, 1);
        long key2 = word(key, length, 2);
        if (USAGE_KEY.spelledBy(length, key0, key1, key2)) {
            return USAGE;
        }
        return SERVICE_TIER_KEY.spelledBy(length, key0, key1, key2) ? SERVICE_TIER : NONE;
    }

    /**
     * The {@link TokenCounts} slot the first {@code length} bytes of {@code key} name, {@link #CACHE_DETAILS}, or
     * {@link #NONE}.
     */
    static int countSlot(byte[] key, int length) {
        long key0 = word(key, length, 0);
        long key1 = word(key, length, 1);
        long key2 = word(key, length, 2);
        if (INPUT.spelledBy(length, key0, key1, key2)) {
            return TokenCounts.INPUT;
        }
        if (OUTPUT.spelledBy(length, key0, key1, key2)) {
            return TokenCounts.OUTPUT;
        }
        if (CACHE_READ.spelledBy(length, key0, key1, key2)) {
            return TokenCounts.CACHE_READ;
        }
        if (CACHE_WRITE.spelledBy(length, key0, key1, key2)) {
            return TokenCounts.CACHE_WRITE;
        }
        return CACHE_DETAILS_KEY.spelledBy(length, key0, key1, key2) ? CACHE_DETAILS : NONE;
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
}
