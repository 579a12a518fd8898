package dev.bedrocktenant.budget.notify;

import java.math.BigDecimal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bedrocktenant.budget.LevelChange;

/**
 * One level change as every destination sends it: the JSON (the webhook's body, the SNS message) and a short
 * subject. Money is an exact decimal string, as in the usage ledger; the ratio an exact number.
 *
 * @param tenant  for SNS message attributes
 * @param level   the new level's name, for SNS message attributes
 * @param subject {@code Bedrock tenant acme: red}, within SNS's 100 ASCII characters
 */
record AlertMessage(String tenant, String level, String subject, String json) {

    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    private static final int MAX_SUBJECT = 100;

    static AlertMessage of(LevelChange change) {
        ObjectNode body = JSON.createObjectNode()
                .put("tenant", change.tenant())
                .put("level", change.level().label())
                .put("previousLevel", change.previousLevel().label())
                .put("period", change.period().label)
                .put("usedUsd", plain(change.usedUsd()))
                .put("budgetUsd", plain(change.budgetUsd()))
                .put("ratio", change.ratio().stripTrailingZeros())
                .put("at", change.at().toString())
                .put("text", AlertText.of(change));
        try {
            return new AlertMessage(change.tenant(), change.level().label(), subject(change), JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /** Plain notation, no trailing zeros: 10, 0.000431. */
    private static String plain(BigDecimal usd) {
        return usd.signum() == 0 ? "0" : usd.stripTrailingZeros().toPlainString();
    }

    /** A tenant id may be 128 characters: cut it so the subject still names the level. */
    static String subject(LevelChange change) {
        String prefix = "Bedrock tenant ";
        String suffix = ": " + change.level().label();
        String tenant = change.tenant();
        int room = MAX_SUBJECT - prefix.length() - suffix.length();
        if (tenant.length() > room) {
            tenant = tenant.substring(0, room - 3) + "...";
        }
        return prefix + tenant + suffix;
    }
}
