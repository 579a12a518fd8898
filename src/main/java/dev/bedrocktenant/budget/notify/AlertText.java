package dev.bedrocktenant.budget.notify;

import java.math.BigDecimal;
import java.math.RoundingMode;

import dev.bedrocktenant.budget.AlertLevel;
import dev.bedrocktenant.budget.LevelChange;

/**
 * A level change as one sentence for people, with Slack's emoji codes:
 * {@code :red_circle: tenant acme reached red: 10.02 of 10.00 USD daily budget (100.2 %)}.
 */
final class AlertText {

    private AlertText() {
    }

    static String of(LevelChange change) {
        String moved = change.level().compareTo(change.previousLevel()) > 0 ? "reached" : "is back to";
        return emoji(change.level()) + " tenant " + change.tenant() + " " + moved + " " + change.level().label() + ": "
                + money(change.usedUsd()) + " of " + money(change.budgetUsd()) + " USD " + change.period().label
                + " budget (" + change.ratio().movePointRight(2).setScale(1, RoundingMode.HALF_UP).toPlainString() + " %)";
    }

    private static String emoji(AlertLevel level) {
        return switch (level) {
            case GREEN -> ":large_green_circle:";
            case YELLOW -> ":large_yellow_circle:";
            case ORANGE -> ":large_orange_circle:";
            case RED -> ":red_circle:";
        };
    }

    /** Cents at least, every digit there is beyond them: 10.00, 0.000431. */
    private static String money(BigDecimal usd) {
        BigDecimal exact = usd.stripTrailingZeros();
        return exact.setScale(Math.max(2, exact.scale())).toPlainString();
    }
}
