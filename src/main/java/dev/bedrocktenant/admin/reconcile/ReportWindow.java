package dev.bedrocktenant.admin.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The half-open time range [from, to) a reconciliation covers. */
public record ReportWindow(Instant from, Instant to) {

    public ReportWindow {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        }
    }

    /**
     * @param from an instant ({@code 2026-11-21T10:00:00Z}) or a UTC date, meaning its start
     * @param to   an instant, or a UTC date meaning its end: {@code --from 2026-11-01 --to 2026-11-30} is November
     */
    public static ReportWindow parse(String from, String to) {
        return new ReportWindow(instant(from, "--from", false), instant(to, "--to", true));
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** CloudWatch counts whole minutes: a bound inside a minute cannot be compared exactly. */
    public boolean minuteAligned() {
        return from.getEpochSecond() % 60 == 0 && to.getEpochSecond() % 60 == 0
                && from.getNano() == 0 && to.getNano() == 0;
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    private static Instant instant(String text, String option, boolean endOfDay) {
        try {
            if (text.length() == 10) {
                LocalDate date = LocalDate.parse(text);
                return (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is neither an instant (2026-11-21T10:00:00Z) nor a date (2026-11-21)");
        }
    }
}
