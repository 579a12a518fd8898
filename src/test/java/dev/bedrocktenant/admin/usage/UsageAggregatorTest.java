package dev.bedrocktenant.admin.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.metering.ledger.Adjustment;
import dev.bedrocktenant.metering.ledger.LedgerEntry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class UsageAggregatorTest {

    private static final String SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    private static final Instant DAY1 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-24T10:00:00Z");

    private static LedgerEntry entry(String id, Instant at, String tenant, String model, String cost) {
        return LedgerEntry.of(TestUsages.usage(id, at, tenant, model, new BigDecimal(cost)));
    }

    private static final List<LedgerEntry> ENTRIES = List.of(
            entry("1", DAY1, "acme", TestUsages.HAIKU, "0.1"),
            entry("2", DAY2, "acme", TestUsages.HAIKU, "0.2"),
            entry("3", DAY2, "acme", SONNET, "0.000425"),
            entry("4", DAY2, "globex", TestUsages.HAIKU, "1"),
            LedgerEntry.of(TestUsages.cutOff("5", DAY2)), // globex, nothing reported, partial
            entry("6", DAY2.plusSeconds(86_400), "acme", TestUsages.HAIKU, "5")); // outside the range

    private static UsageQuery query(String tenant, GroupBy groupBy) {
        return new UsageQuery(Optional.ofNullable(tenant), Instant.parse("2026-11-23T00:00:00Z"),
                Instant.parse("2026-11-25T00:00:00Z"), groupBy);
    }

    @Test
    void groupsByTenantAndModelWithExactCostsAndATotal() {
        JsonObject report = UsageAggregator.aggregate(query(null, GroupBy.MODEL), ENTRIES.stream());
        assertEquals(new JsonObject("""
                {"tenant":null,"from":"2026-11-23T00:00:00Z","to":"2026-11-25T00:00:00Z","groupBy":"model","groups":[
                 {"tenant":"acme","model":"anthropic.claude-3-5-sonnet-20240620-v1:0","requests":1,"inputTokens":1000,
                  "outputTokens":140,"cacheReadTokens":200,"cacheWriteTokens":0,"costUsd":"0.000425","partialRequests":0},
                 {"tenant":"acme","model":"anthropic.claude-3-haiku-20240307-v1:0","requests":2,"inputTokens":2000,
                  "outputTokens":280,"cacheReadTokens":400,"cacheWriteTokens":0,"costUsd":"0.3","partialRequests":0},
                 {"tenant":"globex","model":"anthropic.claude-3-haiku-20240307-v1:0","requests":2,"inputTokens":1000,
                  "outputTokens":140,"cacheReadTokens":200,"cacheWriteTokens":0,"costUsd":"1","partialRequests":1}],
                 "total":{"requests":5,"inputTokens":4000,"outputTokens":560,"cacheReadTokens":800,"cacheWriteTokens":0,
                  "costUsd":"1.300425","partialRequests":1}}
                """), report);
    }

    @Test
    void groupsOneTenantByDay() {
        JsonObject report = UsageAggregator.aggregate(query("acme", GroupBy.DAY), ENTRIES.stream());
        assertEquals("acme", report.getString("tenant"));
        assertEquals(2, report.getJsonArray("groups").size());
        assertEquals(new JsonObject().put("tenant", "acme").put("day", "2026-11-23").put("requests", 1L)
                        .put("inputTokens", 1000L).put("outputTokens", 140L).put("cacheReadTokens", 200L)
                        .put("cacheWriteTokens", 0L).put("costUsd", "0.1").put("partialRequests", 0L),
                report.getJsonArray("groups").getJsonObject(0));
        assertEquals("2026-11-24", report.getJsonArray("groups").getJsonObject(1).getString("day"));
        assertEquals("0.300425", report.getJsonObject("total").getString("costUsd"));
    }

    @Test
    void sumsManySmallCostsWithoutRounding() {
        List<LedgerEntry> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(entry("r" + i, DAY2, "acme", TestUsages.HAIKU, "0.000001"));
        }
        JsonObject total = UsageAggregator.aggregate(query("acme", GroupBy.MODEL), many.stream()).getJsonObject("total");
        assertEquals("0.010000", total.getString("costUsd"));
        assertEquals(10_000L, total.getLong("requests"));
    }

    @Test
    void anAdministratorsResetIsNoRequestOfTheTenant() {
        List<LedgerEntry> withReset = new ArrayList<>(ENTRIES);
        withReset.add(LedgerEntry.of(Adjustment.RESET_DAILY.line("acme", "r-reset", DAY2)));
        JsonObject report = UsageAggregator.aggregate(query("acme", GroupBy.MODEL), withReset.stream());
        assertEquals(UsageAggregator.aggregate(query("acme", GroupBy.MODEL), ENTRIES.stream()), report);
        assertEquals(3L, report.getJsonObject("total").getLong("requests"));
    }

    @Test
    void nothingInRangeIsAnEmptyAnswerWithZeroTotal() {
        JsonObject report = UsageAggregator.aggregate(query("initech", GroupBy.MODEL), ENTRIES.stream());
        assertEquals(0, report.getJsonArray("groups").size());
        assertEquals("0", report.getJsonObject("total").getString("costUsd"));
        assertEquals(0L, report.getJsonObject("total").getLong("requests"));
    }
}
