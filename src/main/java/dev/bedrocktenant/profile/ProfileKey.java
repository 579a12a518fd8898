package dev.bedrocktenant.profile;

/**
 * What a discovered profile is found by: the value of its tenant tag and the foundation model it copies.
 *
 * @param tenantTag   the value of the tenant tag (proxy.profiles.tag-key)
 * @param baseModelId the foundation model id, e.g. {@code anthropic.claude-3-haiku-20240307-v1:0}
 */
public record ProfileKey(String tenantTag, String baseModelId) {
}
