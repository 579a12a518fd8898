package dev.bedrocktenant.admin.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class UsageQueryTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-24T15:30:00Z"), ZoneOffset.UTC);

    private static UsageQuery parse(String... pairs) {
        MultiMap params = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            params.add(pairs[i], pairs[i + 1]);
        }
        return UsageQuery.parse(params, NOW);
    }

    @Test
    void defaultsToTodaySoFarForAllTenantsByModel() {
        assertEquals(new UsageQuery(Optional.empty(), Instant.parse("2026-11-24T00:00:00Z"), NOW.instant(), GroupBy.MODEL),
                parse());
    }

    @Test
    void datesCoverWholeUtcDaysAndInstantsAreExact() {
        assertEquals(new UsageQuery(Optional.of("acme"), Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z"), GroupBy.DAY),
                parse("tenant", "acme", "from", "2026-11-01", "to", "2026-11-30", "groupBy", "day"));
        assertEquals(new UsageQuery(Optional.empty(), Instant.parse("2026-11-24T08:00:00.5Z"),
                Instant.parse("2026-11-24T10:00:00Z"), GroupBy.MODEL),
                parse("from", "2026-11-24T10:00:00.5+02:00", "to", "2026-11-24T10:00:00Z"));
    }

    @Test
    void refusesBadParametersAsValidationException() {
        String[][] bad = {
                {"from", "yesterday"}, {"to", "2026-13-01"}, {"groupBy", "tenant"}, {"tenant", " "},
                {"from", "2026-11-25"}, {"from", "2026-11-24T15:30:00Z"}, {"tenantId", "acme"},
        };
        for (String[] pair : bad) {
            ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> parse(pair), String.join("=", pair));
            assertEquals(ProxyRefusal.Kind.VALIDATION, refusal.kind());
        }
    }
}
