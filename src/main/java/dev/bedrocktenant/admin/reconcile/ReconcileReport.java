package dev.bedrocktenant.admin.reconcile;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import dev.bedrocktenant.metering.cloudwatch.MetricNames;

/** The comparison table: one row per tenant, profile and metric; exact equality or MISMATCH. */
public final class ReconcileReport {

    /** One compared figure. {@code difference} is ledger minus CloudWatch. */
    public record Row(String tenant, String profileArn, String metric, long ledger, long cloudWatch) {

        public long difference() {
            return ledger - cloudWatch;
        }

        public boolean matches() {
            return ledger == cloudWatch;
        }
    }

    private final List<Row> rows = new ArrayList<>();

    public void compare(TenantProfile profile, ProfileTotals ledger, ProfileTotals cloudWatch) {
        add(profile, MetricNames.INVOCATIONS, ledger, cloudWatch, ProfileTotals::invocations);
        add(profile, MetricNames.INPUT_TOKEN_COUNT, ledger, cloudWatch, ProfileTotals::inputTokens);
        add(profile, MetricNames.OUTPUT_TOKEN_COUNT, ledger, cloudWatch, ProfileTotals::outputTokens);
    }

    private void add(TenantProfile p, String metric, ProfileTotals ledger, ProfileTotals cw, ToLongFunction<ProfileTotals> f) {
        rows.add(new Row(p.tenant(), p.profileArn(), metric, f.applyAsLong(ledger), f.applyAsLong(cw)));
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public long mismatches() {
        return rows.stream().filter(r -> !r.matches()).count();
    }

    public void print(PrintWriter out) {
        String[] header = {"TENANT", "PROFILE", "METRIC", "LEDGER", "CLOUDWATCH", "DIFF", "RESULT"};
        List<String[]> lines = new ArrayList<>();
        lines.add(header);
        for (Row r : rows) {
            lines.add(new String[] {r.tenant(), r.profileArn(), r.metric(), Long.toString(r.ledger()),
                    Long.toString(r.cloudWatch()), (r.difference() > 0 ? "+" : "") + r.difference(),
                    r.matches() ? "OK" : "MISMATCH"});
        }
        int[] width = new int[header.length];
        for (String[] line : lines) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                boolean number = c >= 3 && c <= 5; // right-aligned, so digits line up
                String cell = number ? " ".repeat(width[c] - line[c].length()) + line[c]
                        : line[c] + " ".repeat(c == line.length - 1 ? 0 : width[c] - line[c].length());
                b.append(cell).append(c == line.length - 1 ? "" : "  ");
            }
            out.println(b);
        }
        long bad = mismatches();
        out.println(bad == 0 ? "All " + rows.size() + " figures match."
                : bad + " of " + rows.size() + " figures MISMATCH (DIFF = ledger - CloudWatch).");
    }
}
