package dev.bedrocktenant.tenant;

/** Who is calling, and how the proxy knows. */
public record Identity(Tenant tenant, IdentifiedBy by) {

    public enum IdentifiedBy {
        /** the tenant header (X-Tenant-Id) */
        TENANT_HEADER,
        /** the tag headers (X-Bedrock-Tag-*) */
        TAG_HEADERS,
        /** the access key id in the caller's SigV4 Authorization header, signature not checked */
        ACCESS_KEY,
        /** the access key id, with the caller's signature verified against the tenant's secret */
        VERIFIED_SIGNATURE,
        /** a Bedrock API key (Authorization: Bearer) the tenants file maps */
        API_KEY,
        /** no match; proxy.unknown-tenant=default:<tenant> */
        DEFAULT_TENANT
    }
}
