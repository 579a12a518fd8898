package dev.bedrocktenant.admin.usage;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.bedrocktenant.metering.ledger.Adjustment;
import dev.bedrocktenant.metering.ledger.DayFiles;
import dev.bedrocktenant.metering.ledger.LedgerEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Aggregates ledger entries into the usage API's answer: per (tenant, model) or (tenant, day), sorted by
 * both, plus the total. One pass, memory bounded by the number of groups, not of lines. Adjustment lines
 * (an administrator's resets) are no requests and are left out.
 */
public final class UsageAggregator {

    private record Key(String tenant, String group) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::tenant).thenComparing(Key::group);
    }

    private UsageAggregator() {
    }

    public static JsonObject aggregate(UsageQuery query, Stream<LedgerEntry> entries) {
        Map<Key, UsageTotals> groups = new TreeMap<>(Key.ORDER);
        UsageTotals total = new UsageTotals();
        entries.filter(entry -> query.tenant().map(entry.tenant()::equals).orElse(true))
                .filter(entry -> Adjustment.of(entry).isEmpty())
                .filter(entry -> !entry.timestamp().isBefore(query.from()) && entry.timestamp().isBefore(query.to()))
                .forEach(entry -> {
                    groups.computeIfAbsent(new Key(entry.tenant(), groupOf(query.groupBy(), entry)),
                            key -> new UsageTotals()).add(entry);
                    total.add(entry);
                });
        JsonArray answer = new JsonArray();
        groups.forEach((key, totals) -> answer.add(totals.into(
                new JsonObject().put("tenant", key.tenant()).put(query.groupBy().field, key.group()))));
        return new JsonObject()
                .put("tenant", query.tenant().orElse(null))
                .put("from", query.from().toString())
                .put("to", query.to().toString())
                .put("groupBy", query.groupBy().field)
                .put("groups", answer)
                .put("total", total.into(new JsonObject()));
    }

    private static String groupOf(GroupBy groupBy, LedgerEntry entry) {
        return switch (groupBy) {
            case MODEL -> entry.model();
            case DAY -> DayFiles.dayOf(entry.timestamp()).toString();
        };
    }
}
