package dev.bedrocktenant.tenant;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One tenant as the tenants file describes it (docs/reference.md §5), its tier already applied.
 *
 * @param tags          the tenant's tags: matched against X-Bedrock-Tag-* headers, and put on its profiles
 * @param accessKeys    access key ids that identify the tenant, some with a secret to verify signatures
 * @param apiKeySha256  SHA-256 (hex) of Bedrock API keys (Authorization: Bearer) that identify the tenant
 * @param profiles      requested model id (or base model id) → application inference profile ARN
 * @param allowedModels when present, the only models (base ids, or ids as requested) the tenant may call
 * @param tier          the named tier of the tenants file its limits, budget and enforce start from
 * @param limits        its rate limits: the tier's, each field overridden by the tenant's own
 * @param budget        its budgets: likewise
 * @param enforce       false makes limits and budget alert-only
 * @param serviceTier   which service tier its requests are sent with: its tier's, overridden by its own
 * @param role          when present, the proxy signs this tenant's calls with credentials of this role
 */
public record Tenant(String id,
                     Map<String, String> tags,
                     List<AccessKey> accessKeys,
                     Set<String> apiKeySha256,
                     Map<String, String> profiles,
                     Optional<Set<String>> allowedModels,
                     Optional<String> tier,
                     Optional<RateLimits> limits,
                     Optional<Budget> budget,
                     boolean enforce,
                     ServiceTierPolicy serviceTier,
                     Optional<Role> role) {

    /** A tenant that forwards its application's own service tier and is signed with the proxy's own credentials. */
    public Tenant(String id, Map<String, String> tags, List<AccessKey> accessKeys, Set<String> apiKeySha256,
                  Map<String, String> profiles, Optional<Set<String>> allowedModels, Optional<String> tier,
                  Optional<RateLimits> limits, Optional<Budget> budget, boolean enforce) {
        this(id, tags, accessKeys, apiKeySha256, profiles, allowedModels, tier, limits, budget, enforce,
                ServiceTierPolicy.PASS, Optional.empty());
    }

    /**
     * An IAM role the proxy assumes (sts:AssumeRole) to sign the tenant's calls, so that AWS's own records
     * (Cost and Usage Reports, CloudTrail, invocation logs) name the tenant's principal and session tags.
     *
     * @param sessionTags tags the file adds to the session; the tenant's own tag under the profile tag key
     *                    ({@code TenantID}) is always put on it too, and wins
     */
    public record Role(String arn, Optional<String> externalId, Map<String, String> sessionTags) {

        /** The external id is a shared secret of sorts: never printed. */
        @Override
        public String toString() {
            return "Role[arn=" + arn + ", externalId=" + (externalId.isPresent() ? "***" : "none") + ", sessionTags="
                    + sessionTags + "]";
        }
    }

    /** An access key id; with a secret, the caller's signature made with it is verified. */
    public record AccessKey(String id, Optional<String> secretAccessKey) {

        /** Never prints the secret: tenants end up in log lines and exception messages. */
        @Override
        public String toString() {
            return "AccessKey[id=" + id + ", secret=" + (secretAccessKey.isPresent() ? "***" : "none") + "]";
        }
    }

    /** @param maxConcurrent requests of the tenant in flight at once, streams included */
    public record RateLimits(Optional<Long> requestsPerMinute, Optional<Long> tokensPerMinute, Optional<Long> maxConcurrent) {

        /** Each field of this one, else of {@code base}. */
        public RateLimits over(RateLimits base) {
            return new RateLimits(requestsPerMinute.or(base::requestsPerMinute), tokensPerMinute.or(base::tokensPerMinute),
                    maxConcurrent.or(base::maxConcurrent));
        }
    }

    /** Budgets in USD over UTC calendar days and months. */
    public record Budget(Optional<BigDecimal> dailyUsd, Optional<BigDecimal> monthlyUsd) {

        /** Each field of this one, else of {@code base}. */
        public Budget over(Budget base) {
            return new Budget(dailyUsd.or(base::dailyUsd), monthlyUsd.or(base::monthlyUsd));
        }
    }

    /** True when the tenant has any limit or budget: only then does admission keep state for it. */
    public boolean limited() {
        return limits.isPresent() || budget.isPresent();
    }
}
