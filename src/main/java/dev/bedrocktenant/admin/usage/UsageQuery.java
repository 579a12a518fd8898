package dev.bedrocktenant.admin.usage;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

import dev.bedrocktenant.wire.ProxyRefusal;
import io.vertx.core.MultiMap;

/**
 * The parameters of {@code GET /admin/usage}: requests stamped in [from, to), of one tenant or all,
 * grouped by model or by UTC day.
 *
 * <p>{@code from}/{@code to} are ISO-8601 instants ({@code 2026-11-24T10:00:00Z}, an offset is accepted) or
 * dates; a date as {@code from} is that day's start (UTC), as {@code to} that day's end, so
 * {@code from=2026-11-01&to=2026-11-30} is all of November. Defaults: from the start of today (UTC) to now.
 */
public record UsageQuery(Optional<String> tenant, Instant from, Instant to, GroupBy groupBy) {

    private static final Set<String> PARAMETERS = Set.of("tenant", "from", "to", "groupBy");

    /** @throws ProxyRefusal a ValidationException naming the bad parameter */
    public static UsageQuery parse(MultiMap params, Clock clock) {
        for (String name : params.names()) {
            if (!PARAMETERS.contains(name)) {
                throw ProxyRefusal.validation("unknown parameter " + name + "; expected tenant, from, to, groupBy");
            }
        }
        Optional<String> tenant = Optional.ofNullable(params.get("tenant"));
        if (tenant.isPresent() && tenant.get().isBlank()) {
            throw ProxyRefusal.validation("tenant must not be empty (leave it out for all tenants)");
        }
        Instant now = clock.instant();
        Instant from = Optional.ofNullable(params.get("from")).map(value -> instant("from", value, false))
                .orElse(LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC));
        Instant to = Optional.ofNullable(params.get("to")).map(value -> instant("to", value, true)).orElse(now);
        if (!from.isBefore(to)) {
            throw ProxyRefusal.validation("from (" + from + ") must be before to (" + to + ")");
        }
        String groupBy = Optional.ofNullable(params.get("groupBy")).orElse(GroupBy.MODEL.field);
        return new UsageQuery(tenant, from, to, GroupBy.of(groupBy).orElseThrow(
                () -> ProxyRefusal.validation("groupBy must be model or day, not " + groupBy)));
    }

    private static Instant instant(String name, String value, boolean endOfDay) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                throw ProxyRefusal.validation(name + " must be an ISO-8601 instant (2026-11-24T10:00:00Z) or date"
                        + " (2026-11-24), not " + value);
            }
        }
    }
}
