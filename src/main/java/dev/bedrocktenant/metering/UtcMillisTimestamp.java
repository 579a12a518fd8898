package dev.bedrocktenant.metering;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The ledger's {@code ts}: ISO-8601, UTC, always with milliseconds ({@code 2026-11-24T10:15:30.123Z}), so
 * that every line has the same shape and sorts as text. Written field by field: {@code DateTimeFormatter}
 * was the largest single cost of writing a ledger line (bench/README.md).
 */
final class UtcMillisTimestamp {

    /** The slow path, for years outside 0000-9999, which the fixed-width fields cannot hold. */
    private static final DateTimeFormatter WIDE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private UtcMillisTimestamp() {
    }

    static void append(Instant instant, StringBuilder out) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            out.append(WIDE.format(instant));
            return;
        }
        digits(out, utc.getYear(), 4).append('-');
        digits(out, utc.getMonthValue(), 2).append('-');
        digits(out, utc.getDayOfMonth(), 2).append('T');
        digits(out, utc.getHour(), 2).append(':');
        digits(out, utc.getMinute(), 2).append(':');
        digits(out, utc.getSecond(), 2).append('.');
        digits(out, utc.getNano() / 1_000_000, 3).append('Z');
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        for (int divisor = (int) Math.pow(10, width - 1); divisor > 0; divisor /= 10) {
            out.append((char) ('0' + value / divisor % 10));
        }
        return out;
    }
}
