package dev.bedrocktenant.admin.reconcile;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import dev.bedrocktenant.cli.Table;
import dev.bedrocktenant.metering.ledger.LedgerEntry;

/**
 * The ledger against Bedrock's model invocation logs, request by request (Bedrock's request id is the ledger's
 * {@code requestId}) and tenant by tenant: calls that bypassed the proxy (logged by Bedrock, not in the ledger),
 * calls whose token counts differ, and, for information, ledger lines Bedrock did not log.
 */
public final class InvocationLogReport {

    /** The operations Bedrock's invocation logs record. */
    static final Set<String> LOGGED_OPERATIONS = Set.of("Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream");
    static final String UNKNOWN_TENANT = "-";

    public enum Result {
        MATCH, TOKENS_DIFFER, BYPASSED, NOT_LOGGED
    }

    /** One request compared; {@code logged} or {@code ledger} is null on the side that lacks it. */
    public record Row(String requestId, String tenant, Result result, InvocationLogRecord logged, LedgerEntry ledger) {
    }

    private final List<Row> rows = new ArrayList<>();

    /**
     * @param records Bedrock's records of the window
     * @param ledger  the ledger's lines of the window and a margin around it (a call near an edge is stamped at
     *                its start by Bedrock, at its end by the proxy)
     * @param inWindow whether a ledger line lies in the window itself
     * @param tagKey   the tenant's key in {@code requestMetadata}
     */
    public InvocationLogReport(List<InvocationLogRecord> records, List<LedgerEntry> ledger,
                               Predicate<LedgerEntry> inWindow, String tagKey) {
        Map<String, LedgerEntry> byId = new HashMap<>();
        ledger.forEach(entry -> byId.putIfAbsent(entry.requestId(), entry));
        Set<String> logged = new HashSet<>();
        for (InvocationLogRecord record : records) {
            logged.add(record.requestId());
            LedgerEntry entry = byId.get(record.requestId());
            if (entry == null) {
                rows.add(new Row(record.requestId(), record.tenant(tagKey).orElse(UNKNOWN_TENANT), Result.BYPASSED, record, null));
            } else {
                rows.add(new Row(record.requestId(), entry.tenant(), sameTokens(record, entry) ? Result.MATCH : Result.TOKENS_DIFFER,
                        record, entry));
            }
        }
        for (LedgerEntry entry : ledger) {
            if (inWindow.test(entry) && !logged.contains(entry.requestId()) && reachedBedrock(entry)) {
                rows.add(new Row(entry.requestId(), entry.tenant(), Result.NOT_LOGGED, null, entry));
            }
        }
    }

    /** A model invocation Bedrock answered: the ones it logs. */
    private static boolean reachedBedrock(LedgerEntry entry) {
        return LOGGED_OPERATIONS.contains(entry.operation()) && entry.status() >= 200 && entry.status() < 300;
    }

    /** Unreadable usage in the ledger (null tokens) never matches. */
    private static boolean sameTokens(InvocationLogRecord record, LedgerEntry entry) {
        return equal(record.inputTokens(), entry.tokens().inputTokens())
                && equal(record.outputTokens(), entry.tokens().outputTokens());
    }

    private static boolean equal(OptionalLong a, OptionalLong b) {
        return a.isPresent() && b.isPresent() && a.getAsLong() == b.getAsLong();
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public long count(Result result) {
        return rows.stream().filter(r -> r.result() == result).count();
    }

    /** Bypassing calls and token differences; ledger lines Bedrock did not log are not counted as such. */
    public boolean agrees() {
        return count(Result.BYPASSED) == 0 && count(Result.TOKENS_DIFFER) == 0;
    }

    public void print(PrintWriter out) {
        Table tenants = new Table("TENANT", "LOGGED", "MATCH", "TOKENS_DIFFER", "BYPASSED", "NOT_LOGGED",
                "LOG_INPUT_TOKENS", "LEDGER_INPUT_TOKENS", "LOG_OUTPUT_TOKENS", "LEDGER_OUTPUT_TOKENS");
        Map<String, List<Row>> byTenant = new TreeMap<>();
        rows.forEach(r -> byTenant.computeIfAbsent(r.tenant(), k -> new ArrayList<>()).add(r));
        byTenant.forEach((tenant, rs) -> tenants.row(tenant,
                Long.toString(rs.stream().filter(r -> r.logged() != null).count()),
                count(rs, Result.MATCH), count(rs, Result.TOKENS_DIFFER), count(rs, Result.BYPASSED), count(rs, Result.NOT_LOGGED),
                Long.toString(rs.stream().filter(r -> r.logged() != null).mapToLong(r -> r.logged().inputTokens().orElse(0)).sum()),
                Long.toString(rs.stream().filter(r -> r.ledger() != null).mapToLong(r -> r.ledger().tokens().inputTokens().orElse(0)).sum()),
                Long.toString(rs.stream().filter(r -> r.logged() != null).mapToLong(r -> r.logged().outputTokens().orElse(0)).sum()),
                Long.toString(rs.stream().filter(r -> r.ledger() != null).mapToLong(r -> r.ledger().tokens().outputTokens().orElse(0)).sum())));
        tenants.print(out);

        Table attention = new Table("REQUEST_ID", "TENANT", "RESULT", "MODEL", "PRINCIPAL", "LOG_IN/OUT", "LEDGER_IN/OUT");
        rows.stream().filter(r -> r.result() != Result.MATCH).forEach(r -> attention.row(r.requestId(), r.tenant(),
                r.result().name(), r.logged() != null ? r.logged().modelId() : r.ledger().model(),
                r.logged() != null && !r.logged().principalArn().isEmpty() ? r.logged().principalArn() : "-",
                r.logged() == null ? "-" : tokens(r.logged().inputTokens()) + "/" + tokens(r.logged().outputTokens()),
                r.ledger() == null ? "-" : tokens(r.ledger().tokens().inputTokens()) + "/" + tokens(r.ledger().tokens().outputTokens())));
        if (attention.size() > 0) {
            out.println();
            attention.print(out);
        }
        out.println();
        out.println(count(Result.MATCH) + " matched, " + count(Result.TOKENS_DIFFER) + " with different token counts, "
                + count(Result.BYPASSED) + " bypassed the proxy, " + count(Result.NOT_LOGGED)
                + " ledger lines not in the invocation logs.");
    }

    private static String count(List<Row> rows, Result result) {
        return Long.toString(rows.stream().filter(r -> r.result() == result).count());
    }

    private static String tokens(OptionalLong count) {
        return count.isPresent() ? Long.toString(count.getAsLong()) : "?";
    }
}
