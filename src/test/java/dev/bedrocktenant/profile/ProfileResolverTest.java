package dev.bedrocktenant.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import dev.bedrocktenant.profile.ModelTarget.Source;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.Tenants;
import dev.bedrocktenant.tenant.TenantsFile;
import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.ProxyRefusal;
import org.junit.jupiter.api.Test;

class ProfileResolverTest {

    private static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
    private static final String SONNET = "anthropic.claude-sonnet-4-20250514-v1:0";
    private static final String HAIKU_PROFILE = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01";
    private static final String EU_HAIKU_PROFILE = "arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/acme0euhaiku";
    private static final String SONNET_PROFILE = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0sonnet1";

    private static final Tenants TENANTS = new TenantsFile(name -> Optional.empty()).parse("""
            tenants:
              acme:
                profiles:
                  "%s": "%s"
                  "eu.%s": "%s"
                  "us.%s": "%s"
              strict:
                allowedModels: [ "%s" ]
                profiles: { "%s": "%s" }
            """.formatted(HAIKU, HAIKU_PROFILE, HAIKU, EU_HAIKU_PROFILE, SONNET, SONNET_PROFILE, HAIKU, HAIKU, HAIKU_PROFILE));

    private static final Tenant ACME = TENANTS.byId("acme").orElseThrow();
    private static final Tenant STRICT = TENANTS.byId("strict").orElseThrow();

    private final ProfileResolver rejecting = new ProfileResolver(() -> ProfileConfig.UnmappedModel.REJECT);
    private final ProfileResolver passingThrough = new ProfileResolver(() -> ProfileConfig.UnmappedModel.PASSTHROUGH);

    private static ModelTarget resolve(ProfileResolver resolver, Tenant tenant, BedrockOperation op, String model) {
        return resolver.resolve(tenant, op, model).await().indefinitely();
    }

    private static String refusal(ProfileResolver resolver, Tenant tenant, BedrockOperation op, String model) {
        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> resolve(resolver, tenant, op, model));
        assertEquals(ProxyRefusal.Kind.ACCESS_DENIED, refusal.kind());
        return refusal.getMessage();
    }

    private static void assertProfile(String expectedArn, String requested) {
        ModelTarget target = resolve(new ProfileResolver(() -> ProfileConfig.UnmappedModel.REJECT), ACME,
                BedrockOperation.CONVERSE, requested);
        assertEquals(new ModelTarget(requested, expectedArn, Optional.of(expectedArn), Source.TENANTS_FILE), target);
    }

    @Test
    void theIdAsRequestedMapsToTheTenantsProfile() {
        assertProfile(HAIKU_PROFILE, HAIKU);
        assertProfile(EU_HAIKU_PROFILE, "eu." + HAIKU);
        assertProfile(SONNET_PROFILE, "us." + SONNET);
    }

    @Test
    void otherFormsOfTheSameModelMatchTheBaseModelKey() {
        assertProfile(HAIKU_PROFILE, "us." + HAIKU);
        assertProfile(HAIKU_PROFILE, "global." + HAIKU);
        assertProfile(HAIKU_PROFILE, "arn:aws:bedrock:us-east-1::foundation-model/" + HAIKU);
        assertProfile(HAIKU_PROFILE, "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us." + HAIKU);
    }

    @Test
    void theTenantsOwnProfileArnIsForwardedAsIsAndPricedAsTheModelItCopies() {
        for (String arn : new String[] {HAIKU_PROFILE, EU_HAIKU_PROFILE}) {
            ModelTarget target = resolve(rejecting, ACME, BedrockOperation.CONVERSE, arn);
            String copied = arn.equals(HAIKU_PROFILE) ? HAIKU : "eu." + HAIKU; // the tenants file's id, prefix and all
            assertEquals(new ModelTarget(arn, arn, Optional.of(arn), Source.TENANTS_FILE, copied), target);
        }
        assertEquals(HAIKU, resolve(rejecting, ACME, BedrockOperation.CONVERSE, HAIKU).pricedModelId());
    }

    @Test
    void anUnmappedModelIsRefusedNamingTenantAndModel() {
        String message = refusal(rejecting, ACME, BedrockOperation.INVOKE_MODEL, SONNET);
        assertTrue(message.contains("tenant acme has no application inference profile for model " + SONNET), message);
        // another tenant's profile is not a way round it
        refusal(rejecting, ACME, BedrockOperation.CONVERSE, "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/other");
    }

    @Test
    void passthroughForwardsAnUnmappedModelUnchanged() {
        assertEquals(new ModelTarget(SONNET, SONNET, Optional.empty(), Source.PASSTHROUGH),
                resolve(passingThrough, ACME, BedrockOperation.CONVERSE_STREAM, SONNET));
        // mapped models still go to their profile
        assertEquals(Source.TENANTS_FILE, resolve(passingThrough, ACME, BedrockOperation.CONVERSE, HAIKU).source());
    }


    @Test
    void countTokensGoesToTheBaseModel() {
        assertEquals(new ModelTarget("us." + HAIKU, HAIKU, Optional.empty(), Source.BASE_MODEL),
                resolve(rejecting, ACME, BedrockOperation.COUNT_TOKENS, "us." + HAIKU));
        assertEquals(HAIKU, resolve(rejecting, ACME, BedrockOperation.COUNT_TOKENS, HAIKU).forwardedModelId());
        // a tenant's own application profile: the tenants file says which model it copies
        assertEquals(HAIKU, resolve(rejecting, ACME, BedrockOperation.COUNT_TOKENS, HAIKU_PROFILE).forwardedModelId());
        // unknown base: forwarded unchanged, even under reject (CountTokens is never mapped to a profile)
        String other = "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc";
        assertEquals(new ModelTarget(other, other, Optional.empty(), Source.PASSTHROUGH),
                resolve(rejecting, ACME, BedrockOperation.COUNT_TOKENS, other));
    }

    @Test
    void allowedModelsAreEnforcedFirstByIdOrBase() {
        String message = refusal(passingThrough, STRICT, BedrockOperation.CONVERSE, SONNET);
        assertTrue(message.contains("tenant strict may not call model " + SONNET), message);
        refusal(passingThrough, STRICT, BedrockOperation.COUNT_TOKENS, "us." + SONNET);

        assertEquals(HAIKU_PROFILE, resolve(rejecting, STRICT, BedrockOperation.CONVERSE, HAIKU).forwardedModelId());
        assertEquals(HAIKU_PROFILE, resolve(rejecting, STRICT, BedrockOperation.CONVERSE, "eu." + HAIKU).forwardedModelId());
        assertEquals(HAIKU_PROFILE, resolve(rejecting, STRICT, BedrockOperation.CONVERSE, HAIKU_PROFILE).forwardedModelId());
        // no allowedModels: anything goes
        assertEquals(Source.PASSTHROUGH, resolve(passingThrough, ACME, BedrockOperation.CONVERSE, SONNET).source());
    }

    @Test
    void operationsWithoutAModelAreLeftAlone() {
        assertEquals(Source.PASSTHROUGH, resolve(rejecting, ACME, BedrockOperation.APPLY_GUARDRAIL, null).source());
        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> resolve(rejecting, ACME, BedrockOperation.CONVERSE, " "));
        assertEquals(ProxyRefusal.Kind.VALIDATION, refusal.kind());
    }
}
