package dev.bedrocktenant.profile;

import java.util.Optional;

/**
 * What a request's model id becomes upstream.
 *
 * @param requestedModelId the model id as the application sent it (decoded)
 * @param forwardedModelId what is sent to Bedrock instead (decoded)
 * @param profileArn       the tenant's application inference profile, when the request goes to one
 * @param pricedModelId    what the call is priced as: the model id of the routing it used ({@code eu.<model>},
 *                         {@code global.<model>}, the bare id for one Region) where the profile's Regions are
 *                         known, else the id as requested; for an application profile the application named
 *                         itself, what that profile copies
 */
public record ModelTarget(String requestedModelId, String forwardedModelId, Optional<String> profileArn,
                          Source source, String pricedModelId) {

    /** Priced as requested. */
    public ModelTarget(String requestedModelId, String forwardedModelId, Optional<String> profileArn, Source source) {
        this(requestedModelId, forwardedModelId, profileArn, source, requestedModelId);
    }

    public ModelTarget pricedAs(String modelId) {
        return new ModelTarget(requestedModelId, forwardedModelId, profileArn, source, modelId);
    }

    public enum Source {
        /** the tenant's profiles map in the tenants file */
        TENANTS_FILE,
        /** forwarded unchanged: no profile and proxy.unmapped-model=passthrough, or an id with no known base model */
        PASSTHROUGH,
        /** CountTokens: the base foundation model of what was requested */
        BASE_MODEL,
        /** an application inference profile found in the account by its tenant tag */
        DISCOVERY,
        /** an application inference profile the proxy created for the tenant (proxy.profiles.auto-create) */
        AUTO_CREATED
    }
}
