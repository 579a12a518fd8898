package dev.bedrocktenant.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingTest {

    private static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

    @ParameterizedTest
    @CsvSource({
            "anthropic.claude-3-haiku-20240307-v1:0, eu-west-1",
            "us.anthropic.claude-3-haiku-20240307-v1:0, us",
            "eu.anthropic.claude-3-haiku-20240307-v1:0, eu",
            "apac.anthropic.claude-3-haiku-20240307-v1:0, apac",
            "jp.anthropic.claude-3-haiku-20240307-v1:0, jp",
            "au.anthropic.claude-3-haiku-20240307-v1:0, au",
            "ca.anthropic.claude-3-haiku-20240307-v1:0, ca",
            "us-gov.anthropic.claude-3-haiku-20240307-v1:0, us-gov",
            "global.anthropic.claude-3-haiku-20240307-v1:0, global",
            "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0, eu",
            "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0, us-west-2",
    })
    void aRequestsRoutingIsItsPrefixsGeographyOrTheProxysRegion(String modelId, String routing) {
        assertEquals(routing, Routing.requestedBy(ModelId.parse(modelId), "eu-west-1").name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "us-east-1                              | us-east-1",
            "us-east-1,us-east-2,us-west-2          | us",
            "eu-central-1,eu-west-1,eu-west-3       | eu",
            "ap-northeast-1,ap-northeast-3          | jp",
            "ap-southeast-2,ap-southeast-4          | au",
            "ap-northeast-1,ap-south-1,ap-southeast-2 | apac",
            "us-gov-east-1,us-gov-west-1            | us-gov",
            "us-east-1,us-gov-west-1                | global",
            "us-east-1,eu-west-1,ap-northeast-1     | global",
    })
    void aProfilesRoutingIsTheNarrowestThatHoldsAllItsRegions(String regions, String routing) {
        assertEquals(routing, Routing.ofRegions(List.of(regions.split(","))).name());
    }

    @ParameterizedTest
    @CsvSource({
            // request routing, profile Regions, served?
            "us, us-east-1 us-west-2, true",
            "us, us-east-1 eu-west-1, false",
            "eu, us-east-1, false",
            "eu, eu-west-1, true",
            "us-east-1, us-east-1, true",
            "us-east-1, us-east-1 us-east-2, false",
            "global, us-east-1 eu-west-1 ap-south-1, true",
            "us, us-gov-west-1, false",
            "apac, ap-northeast-1 ap-south-1, true",
            "jp, ap-northeast-1 ap-south-1, false",
    })
    void aProfileServesARequestOnlyWithinItsRouting(String routing, String regions, boolean served) {
        Routing requested = routing.contains("-") ? Routing.region(routing)
                : Routing.requestedBy(ModelId.parse(routing + "." + HAIKU), "us-east-1");
        assertEquals(served, requested.holdsAll(List.of(regions.split(" "))));
    }

    @org.junit.jupiter.api.Test
    void noRegionsServesNothingAndTheModelIdNamesTheRouting() {
        assertFalse(Routing.GLOBAL.holdsAll(List.of()));
        assertTrue(Routing.GLOBAL.holds("me-central-1"));
        assertEquals(HAIKU, Routing.region("us-east-1").modelIdFor(HAIKU));
        assertEquals("eu." + HAIKU, Routing.ofRegions(List.of("eu-west-1", "eu-west-3")).modelIdFor(HAIKU));
        assertEquals("global." + HAIKU, Routing.GLOBAL.modelIdFor(HAIKU));
    }
}
