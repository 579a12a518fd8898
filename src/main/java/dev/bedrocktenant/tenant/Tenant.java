package dev.bedrocktenant.tenant;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One tenant as the tenants file describes it (docs/reference.md §5).
 *
 * @param tags          the tenant's tags: matched against X-Bedrock-Tag-* headers, and put on its profiles
 * @param accessKeys    access key ids that identify the tenant, some with a secret to verify signatures
 * @param apiKeySha256  SHA-256 (hex) of Bedrock API keys (Authorization: Bearer) that identify the tenant
 * @param profiles      requested model id (or base model id) → application inference profile ARN
 * @param allowedModels when present, the only models (base ids, or ids as requested) the tenant may call
 * @param enforce       false makes limits and budget alert-only
 */
public record Tenant(String id,
                     Map<String, String> tags,
                     List<AccessKey> accessKeys,
                     Set<String> apiKeySha256,
                     Map<String, String> profiles,
                     Optional<Set<String>> allowedModels,
                     Optional<RateLimits> limits,
                     Optional<Budget> budget,
                     boolean enforce) {

    /** An access key id; with a secret, the caller's signature made with it is verified. */
    public record AccessKey(String id, Optional<String> secretAccessKey) {

        /** Never prints the secret: tenants end up in log lines and exception messages. */
        @Override
        public String toString() {
            return "AccessKey[id=" + id + ", secret=" + (secretAccessKey.isPresent() ? "***" : "none") + "]";
        }
    }

    public record RateLimits(Optional<Long> requestsPerMinute, Optional<Long> tokensPerMinute) {
    }

    public record Budget(Optional<BigDecimal> dailyUsd, Optional<BigDecimal> monthlyUsd) {
    }
}
