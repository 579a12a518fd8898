package dev.bedrocktenant.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import dev.bedrocktenant.profile.ModelId.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ModelIdTest {

    private static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

    private static void assertModel(String raw, Kind kind, String geo, String base) {
        ModelId id = ModelId.parse(raw);
        assertEquals(raw, id.raw());
        assertEquals(kind, id.kind());
        assertEquals(Optional.ofNullable(geo), id.geoPrefix());
        assertEquals(Optional.ofNullable(base), id.baseModelId());
    }

    @Test
    void foundationModelIsItsOwnBase() {
        assertModel(HAIKU, Kind.FOUNDATION_MODEL, null, HAIKU);
        assertModel("amazon.titan-embed-text-v2:0", Kind.FOUNDATION_MODEL, null, "amazon.titan-embed-text-v2:0");
        assertFalse(ModelId.parse(HAIKU).isArn());
    }

    @ParameterizedTest
    @CsvSource({"us", "eu", "apac", "global", "us-gov", "jp", "au", "ca"})
    void systemInferenceProfilesByGeography(String geo) {
        assertModel(geo + "." + HAIKU, Kind.SYSTEM_INFERENCE_PROFILE, geo, HAIKU);
    }

    @Test
    void aGeographyIsOnlyAPrefixWhenAProviderModelFollows() {
        assertModel("us.claude", Kind.FOUNDATION_MODEL, null, "us.claude");
        assertModel("eu.", Kind.FOUNDATION_MODEL, null, "eu.");
        assertModel("usa.anthropic.claude", Kind.FOUNDATION_MODEL, null, "usa.anthropic.claude");
    }

    @Test
    void foundationModelArn() {
        assertModel("arn:aws:bedrock:us-east-1::foundation-model/" + HAIKU, Kind.FOUNDATION_MODEL_ARN, null, HAIKU);
    }

    @Test
    void systemInferenceProfileArn() {
        assertModel("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us." + HAIKU,
                Kind.SYSTEM_INFERENCE_PROFILE_ARN, "us", HAIKU);
        assertModel("arn:aws-us-gov:bedrock:us-gov-west-1:111122223333:inference-profile/us-gov." + HAIKU,
                Kind.SYSTEM_INFERENCE_PROFILE_ARN, "us-gov", HAIKU);
    }

    @Test
    void applicationInferenceProfileArnHasNoKnownBase() {
        String arn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01";
        assertModel(arn, Kind.APPLICATION_INFERENCE_PROFILE_ARN, null, null);
        assertTrue(ModelId.parse(arn).isArn());
    }

    @ParameterizedTest
    @CsvSource({
            "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc123",
            "arn:aws:bedrock:us-east-1:111122223333:custom-model/anthropic.claude-3-haiku-20240307-v1:0/xyz",
            "arn:aws:bedrock:us-east-1:111122223333:imported-model/abc123",
            "arn:aws:sagemaker:us-east-1:111122223333:endpoint/my-endpoint",
            "arn:aws:bedrock:us-east-1"})
    void otherArnsHaveNoKnownBase(String arn) {
        assertModel(arn, Kind.OTHER_ARN, null, null);
    }

    @Test
    void emptyIdsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelId.parse(""));
        assertThrows(IllegalArgumentException.class, () -> ModelId.parse(null));
    }
}
