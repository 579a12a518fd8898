package dev.bedrocktenant.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A budget's period: a UTC calendar day or month, named as the {@code period} label and the admin API name it. */
public enum Period {
    DAILY("daily"),
    MONTHLY("monthly");

    public final String label;

    Period(String label) {
        this.label = label;
    }

    /** The period holding {@code at}: {@code 2026-12-03} or {@code 2026-12}. */
    public String keyOf(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return this == DAILY ? day.toString() : day.toString().substring(0, 7);
    }

    /** When the period holding {@code at} ends. */
    public Instant endOf(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        LocalDate next = this == DAILY ? day.plusDays(1) : day.withDayOfMonth(1).plusMonths(1);
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The minute window holding {@code at}, as minutes since the epoch: rate limits count per clock minute. */
    public static long minuteOf(Instant at) {
        return at.getEpochSecond() / 60;
    }

    public static Instant endOfMinute(Instant at) {
        return Instant.ofEpochSecond((minuteOf(at) + 1) * 60).truncatedTo(ChronoUnit.SECONDS);
    }

    public static java.util.Optional<Period> byLabel(String label) {
        for (Period p : values()) {
            if (p.label.equals(label)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }
}
