package dev.bedrocktenant.admin.usage;

import java.util.Arrays;
import java.util.Optional;

/** How the usage API groups a tenant's requests; the name is also the group's key field in the answer. */
public enum GroupBy {
    MODEL("model"),
    DAY("day");

    public final String field;

    GroupBy(String field) {
        this.field = field;
    }

    public static Optional<GroupBy> of(String field) {
        return Arrays.stream(values()).filter(groupBy -> groupBy.field.equals(field)).findFirst();
    }
}
