package dev.bedrocktenant.metering.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The ledger's {@code ts}: ISO-8601, UTC, always with milliseconds ({@code 2026-11-24T10:15:30.123Z}), so
 * that every line has the same shape and sorts as text. Everything up to the seconds is formatted once per
 * second and kept, as lines come in time order and nearly all of them share the second before them: 10–11 ns a
 * line against 141–145 ns with {@code DateTimeFormatter} (ISO instant with milliseconds, to a String, copied in),
 * medians of 5 JVMs in each of two runs ({@code ONLY=Timestamp bash bench/metering-micro.sh}, 2026-12-03): 131–134
 * ns a line (0.1 % of the proxy's ~130 µs), over a run-to-run noise of 3 ns.
 */
final class UtcMillisTimestamp {

    private static final DateTimeFormatter TO_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

    /** One second's text, ASCII. Replaced whole, never changed: threads may share it without a lock. */
    private record Second(long epochSecond, byte[] text) {
        static Second of(long epochSecond) {
            return new Second(epochSecond, TO_SECONDS.format(Instant.ofEpochSecond(epochSecond)).getBytes(
                    StandardCharsets.US_ASCII));
        }
    }

    private static volatile Second last = Second.of(0);

    private UtcMillisTimestamp() {
    }

    /** Writes the timestamp at {@code index}, which has room for it; returns the index after it. */
    static int write(Instant instant, byte[] out, int index) {
        Second second = last;
        if (second.epochSecond() != instant.getEpochSecond()) {
            second = Second.of(instant.getEpochSecond());
            last = second;
        }
        byte[] text = second.text();
        System.arraycopy(text, 0, out, index, text.length);
        int at = index + text.length;
        int millis = instant.getNano() / 1_000_000;
        out[at++] = digit(millis / 100);
        out[at++] = digit(millis / 10 % 10);
        out[at++] = digit(millis % 10);
        out[at++] = 'Z';
        return at;
    }

    private static byte digit(int value) {
        return (byte) ('0' + value);
    }
}
