package dev.bedrocktenant.metering.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class UtcMillisTimestampTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private static String written(Instant instant) {
        byte[] out = new byte[40];
        int length = UtcMillisTimestamp.write(instant, out, 3);
        return new String(out, 3, length - 3, StandardCharsets.US_ASCII);
    }

    @Test
    void writesMillisecondsAlwaysAndTruncatesFinerDigits() {
        assertEquals("2026-11-24T10:15:30.123Z", written(Instant.parse("2026-11-24T10:15:30.123999999Z")));
        assertEquals("2026-11-24T00:00:00.000Z", written(Instant.parse("2026-11-24T00:00:00Z")));
        assertEquals("1970-01-01T00:00:00.000Z", written(Instant.EPOCH));
        assertEquals("2028-02-29T23:59:59.999Z", written(Instant.parse("2028-02-29T23:59:59.999Z")));
    }

    @Test
    void theSecondKeptIsReusedOnlyWithinItsSecond() {
        Instant second = Instant.parse("2026-11-24T23:59:59Z");
        for (int i = 0; i < 3; i++) { // back and forth across midnight, and the same second again
            assertEquals("2026-11-24T23:59:59.00" + i + "Z", written(second.plusMillis(i)));
            assertEquals("2026-11-24T23:59:59.99" + i + "Z", written(second.plusMillis(990 + i)));
            assertEquals("2026-11-25T00:00:00.00" + i + "Z", written(second.plusMillis(1000 + i)));
        }
    }

    @Test
    void agreesWithDateTimeFormatterEverywhere() {
        SplittableRandom random = new SplittableRandom(20261124);
        long from = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond(); // past 9999: the wide path
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(from, to), random.nextInt(1_000_000_000));
            assertEquals(REFERENCE.format(instant), written(instant), instant::toString);
        }
    }
}
