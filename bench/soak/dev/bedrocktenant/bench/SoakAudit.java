package dev.bedrocktenant.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.bedrocktenant.metering.LedgerFiles;
import dev.bedrocktenant.metering.ledger.LedgerEntry;

/**
 * Holds the ledger against what the soak's client saw: exactly one line per request id the client received,
 * with the outcome, partial flag and status the client saw, and no line the client did not see. Exit status 1
 * on any difference. Given the proxy's log, the lines the disk refused and the proxy logged instead count as
 * the ledger's.
 *
 * <p>{@code SoakAudit <calls file> <ledger dir> [proxy log]}
 */
public final class SoakAudit {

    /** What GroupCommit logs before a line the disk refused. */
    private static final String KEPT_IN_LOG = "ledger line not written, kept here: ";

    private SoakAudit() {
    }

    public static void main(String[] args) throws Exception {
        List<SeenCall> calls = SeenCall.read(Path.of(args[0]));
        Map<String, List<LedgerEntry>> lines = new HashMap<>();
        for (LedgerEntry entry : LedgerFiles.entries(Path.of(args[1]))) { // (strict: a torn or bad line fails)
            lines.computeIfAbsent(entry.requestId(), id -> new ArrayList<>()).add(entry);
        }
        int keptInLog = 0;
        if (args.length > 2) {
            for (String logged : Files.readAllLines(Path.of(args[2]))) {
                int at = logged.indexOf(KEPT_IN_LOG);
                if (at >= 0) {
                    LedgerEntry entry = LedgerEntry.parse(logged.substring(at + KEPT_IN_LOG.length()));
                    lines.computeIfAbsent(entry.requestId(), id -> new ArrayList<>()).add(entry);
                    keptInLog++;
                }
            }
        }
        List<String> differences = new ArrayList<>();
        int partial = 0;
        for (SeenCall call : calls) {
            List<LedgerEntry> found = lines.remove(call.requestId());
            if (found == null) {
                differences.add("no line for " + call.line());
            } else if (found.size() > 1) {
                differences.add(found.size() + " lines for " + call.line());
            } else {
                LedgerEntry line = found.get(0);
                if (line.outcome() != call.outcome() || line.partial() != call.partial() || line.status() != call.status()) {
                    differences.add("seen " + call.line() + " but the ledger has " + line.outcome() + " partial="
                            + line.partial() + " status=" + line.status());
                }
                partial += line.partial() ? 1 : 0;
            }
        }
        lines.forEach((id, extra) -> differences.add(extra.size() + " line(s) for " + id + ", which no client saw"));
        System.out.printf("ledger audit: %d calls seen, %d of them partial; %d lines kept in the log; %d differences%n",
                calls.size(), partial, keptInLog, differences.size());
        differences.stream().limit(20).forEach(d -> System.out.println("  " + d));
        System.exit(differences.isEmpty() ? 0 : 1);
    }
}
