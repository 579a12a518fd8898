package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The ledger's directory: one file per UTC day, named by the date of the usage's timestamp
 * ({@code usage-2026-11-24.jsonl}), so that a day is read, archived or deleted as one file.
 */
public final class DayFiles {

    private static final String PREFIX = "usage-";
    private static final String SUFFIX = ".jsonl";
    private static final long SECONDS_PER_DAY = 86_400;

    private final Path dir;

    public DayFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public static LocalDate dayOf(Instant timestamp) {
        // (LocalDate.ofInstant builds the offset's ZoneRules anew on every call: too dear per request)
        return LocalDate.ofEpochDay(epochDayOf(timestamp));
    }

    /** The UTC day of {@code timestamp} as days since 1970-01-01 (what the journal records a line's day as). */
    static long epochDayOf(Instant timestamp) {
        return Math.floorDiv(timestamp.getEpochSecond(), SECONDS_PER_DAY);
    }

    public Path pathOf(LocalDate day) {
        return dir.resolve(PREFIX + day + SUFFIX);
    }

    /** The day a file holds, when the name is a day file's. */
    public static Optional<LocalDate> dayOfFile(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(name.substring(PREFIX.length(), name.length() - SUFFIX.length())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Every day file in the directory, oldest first; none when the directory does not exist. */
    public List<Path> all() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(file -> dayOfFile(file).isPresent() && Files.isRegularFile(file)).forEach(files::add);
        }
        files.sort(null); // ISO dates sort as text
        return files;
    }

    /** The existing day files that may hold lines stamped in [from, to), oldest first. */
    public List<Path> overlapping(Instant from, Instant to) throws IOException {
        LocalDate first = dayOf(from);
        LocalDate last = dayOf(to.minusNanos(1));
        List<Path> files = new ArrayList<>();
        for (Path file : all()) {
            LocalDate day = dayOfFile(file).orElseThrow();
            if (!day.isBefore(first) && !day.isAfter(last)) {
                files.add(file);
            }
        }
        return files;
    }
}
