package dev.bedrocktenant.metering.ledger;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

import dev.bedrocktenant.bench.Rounds;

/**
 * Writing a ledger line's {@code ts} into the line's byte array, for instants 2 ms apart in time order (the bench
 * load's 500 requests a second, so a new second every 500 lines). Variants, one per JVM: {@code hand}
 * ({@link UtcMillisTimestamp}, the second's text kept) or {@code formatter} ({@code DateTimeFormatter}'s ISO
 * instant with milliseconds, to a String, copied in).
 */
public final class TimestampBench {

    private static final DateTimeFormatter ISO_MILLIS = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    public static void main(String[] args) throws Throwable {
        Instant[] instants = new Instant[Rounds.INPUTS];
        Instant start = Instant.parse("2026-11-24T10:15:30.123Z");
        for (int i = 0; i < instants.length; i++) {
            instants[i] = start.plusMillis(2L * i);
        }
        byte[] out = new byte[64];
        Rounds.Op op = switch (args[0]) {
            case "hand" -> i -> UtcMillisTimestamp.write(instants[i], out, 7) + out[30];
            case "formatter" -> i -> {
                String text = ISO_MILLIS.format(instants[i]);
                for (int c = 0; c < text.length(); c++) {
                    out[7 + c] = (byte) text.charAt(c);
                }
                return text.length() + out[30];
            };
            default -> throw new IllegalArgumentException("variant: hand or formatter");
        };
        Rounds.run(1, op);
    }
}
