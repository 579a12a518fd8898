package dev.bedrocktenant.admin.reconcile;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bedrocktenant.signing.RoleSessions;

/**
 * One record of Bedrock's model invocation logs ({@code "schemaType": "ModelInvocationLog"}), only the fields the
 * reconciliation uses; the prompt and completion ({@code input.inputBodyJson}, {@code output.outputBodyJson}) are
 * never read.
 *
 * @param principalArn    {@code identity.arn}: who signed the call (the proxy's role, or a tenant's assumed role)
 * @param requestMetadata {@code requestMetadata}, where the proxy stamps the tenant; empty when absent
 */
public record InvocationLogRecord(String requestId, Instant timestamp, String principalArn, String modelId,
                                  String operation, OptionalLong inputTokens, OptionalLong outputTokens,
                                  JsonNode requestMetadata) {

    static final String SCHEMA_TYPE = "ModelInvocationLog";

    /** Empty for anything else (another schema, a record without request id or timestamp). */
    static Optional<InvocationLogRecord> of(JsonNode record) {
        if (record == null || !SCHEMA_TYPE.equals(record.path("schemaType").asText())
                || !record.path("requestId").isTextual() || !record.path("timestamp").isTextual()) {
            return Optional.empty();
        }
        Instant timestamp;
        try {
            timestamp = Instant.parse(record.get("timestamp").asText());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(new InvocationLogRecord(record.get("requestId").asText(), timestamp,
                record.path("identity").path("arn").asText(""), record.path("modelId").asText(""),
                record.path("operation").asText(""), count(record.path("input").path("inputTokenCount")),
                count(record.path("output").path("outputTokenCount")), record.path("requestMetadata")));
    }

    private static OptionalLong count(JsonNode value) {
        return value.canConvertToLong() ? OptionalLong.of(value.asLong()) : OptionalLong.empty();
    }

    /**
     * The tenant as AWS recorded it: the proxy's stamp in {@code requestMetadata} under {@code tagKey}, else the
     * session name of a tenant role the proxy assumed ({@code …:assumed-role/<role>/bedrock-tenant-<id>}).
     */
    Optional<String> tenant(String tagKey) {
        JsonNode stamped = requestMetadata.path(tagKey);
        if (stamped.isTextual() && !stamped.asText().isEmpty()) {
            return Optional.of(stamped.asText());
        }
        int session = principalArn.lastIndexOf("/" + RoleSessions.SESSION_NAME_PREFIX);
        return session < 0 || !principalArn.contains(":assumed-role/") ? Optional.empty()
                : Optional.of(principalArn.substring(session + 1 + RoleSessions.SESSION_NAME_PREFIX.length()));
    }
}
