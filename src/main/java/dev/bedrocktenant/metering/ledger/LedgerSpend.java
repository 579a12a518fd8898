package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What each tenant spent in the current UTC day and month as the ledger shows it: the sum of its lines'
 * {@code costUsd}, less what a reset of that period forgot — the lines before the reset's adjustment line.
 * The day files are read in day order and each in file order, which is the order the lines were written in.
 */
public final class LedgerSpend {

    /** A tenant's spend in the day and month holding the instant read for. */
    public record Spend(BigDecimal today, BigDecimal thisMonth) {
    }

    private static final class Sums {
        BigDecimal today = BigDecimal.ZERO;
        BigDecimal thisMonth = BigDecimal.ZERO;
    }

    private LedgerSpend() {
    }

    /** Tenants that spent anything in the day or month holding {@code at}; blocking file I/O. */
    public static Map<String, Spend> read(Path dir, Instant at) throws IOException {
        LocalDate today = DayFiles.dayOf(at);
        LocalDate firstOfMonth = today.withDayOfMonth(1);
        Map<String, Sums> sums = new HashMap<>();
        for (Path file : new DayFiles(dir).all()) {
            LocalDate day = DayFiles.dayOfFile(file).orElseThrow();
            if (day.isBefore(firstOfMonth) || day.isAfter(today)) {
                continue;
            }
            try (Stream<LedgerEntry> entries = LedgerReader.entries(file)) {
                // (a file holds the lines of its day: each line's own ts decides all the same)
                entries.filter(entry -> !DayFiles.dayOf(entry.timestamp()).isBefore(firstOfMonth))
                        .forEach(entry -> add(sums.computeIfAbsent(entry.tenant(), tenant -> new Sums()), entry, today));
            }
        }
        Map<String, Spend> spend = new HashMap<>();
        sums.forEach((tenant, s) -> {
            if (s.today.signum() != 0 || s.thisMonth.signum() != 0) {
                spend.put(tenant, new Spend(s.today, s.thisMonth));
            }
        });
        return spend;
    }

    private static void add(Sums sums, LedgerEntry entry, LocalDate today) {
        Optional<Adjustment> adjustment = Adjustment.of(entry);
        if (adjustment.isEmpty()) {
            sums.thisMonth = sums.thisMonth.add(entry.costUsd());
            if (DayFiles.dayOf(entry.timestamp()).equals(today)) {
                sums.today = sums.today.add(entry.costUsd());
            }
        } else if (adjustment.get() == Adjustment.RESET_DAILY) {
            sums.today = BigDecimal.ZERO; // (one of an earlier day comes before every line of today)
        } else if (adjustment.get() == Adjustment.RESET_MONTHLY) {
            sums.thisMonth = BigDecimal.ZERO;
        }
    }
}
