package dev.bedrocktenant.metering;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.bedrocktenant.metering.ledger.DayFiles;
import dev.bedrocktenant.metering.ledger.LedgerEntry;

/** What a test finds in a ledger directory, read strictly (every line must parse). */
public final class LedgerFiles {

    private LedgerFiles() {
    }

    public static List<LedgerEntry> entries(Path dir) throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        for (Path file : new DayFiles(dir).all()) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                throw new AssertionError(file + " ends with a torn line");
            }
            text.lines().map(LedgerEntry::parse).forEach(entries::add);
        }
        return entries;
    }

    /** How many times each request id occurs. */
    public static Map<String, Integer> idCounts(Stream<LedgerEntry> entries) {
        Map<String, Integer> counts = new HashMap<>();
        entries.forEach(entry -> counts.merge(entry.requestId(), 1, Integer::sum));
        return counts;
    }
}
