package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Predicate;

/** How close a tenant is to its budget: the {@code bedrock_tenant_alert_level} gauge's value. */
public enum AlertLevel {
    GREEN, YELLOW, ORANGE, RED;

    /** Its gauge value: 0 green … 3 red. */
    public int value() {
        return ordinal();
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The level of a used ratio: red at or over the third threshold, orange at or over the second, yellow at
     * or over the first, else green.
     *
     * @param reached    whether the used ratio is at or over a threshold
     * @param thresholds ascending ratios of yellow, orange and red
     */
    public static AlertLevel of(Predicate<BigDecimal> reached, List<BigDecimal> thresholds) {
        AlertLevel level = GREEN;
        for (int i = 0; i < thresholds.size() && i < 3; i++) {
            if (reached.test(thresholds.get(i))) {
                level = values()[i + 1];
            }
        }
        return level;
    }
}
