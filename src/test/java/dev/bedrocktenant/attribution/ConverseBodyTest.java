package dev.bedrocktenant.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.wire.ProxyRefusal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Only the two members the proxy sets change; every other byte of the application's body stays as written. */
class ConverseBodyTest {

    static final Optional<String> METADATA = Optional.of("{\"TenantID\":\"acme\"}");
    static final Optional<String> FLEX = Optional.of(ConverseBody.tierJson("flex"));

    private static String rewritten(String body, Optional<String> metadata, Optional<String> tier) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ConverseBody.read(bytes).with(bytes, metadata, tier).toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // absent: inserted first in the object
            "{\"messages\":[]}                                                | {\"requestMetadata\":{\"TenantID\":\"acme\"},\"messages\":[]}",
            "{}                                                               | {\"requestMetadata\":{\"TenantID\":\"acme\"}}",
            " { \"a\" : 1.50 ,\"b\":\"\\u00e9\" }                             |  {\"requestMetadata\":{\"TenantID\":\"acme\"}, \"a\" : 1.50 ,\"b\":\"\\u00e9\" }",
            // present: its value replaced where it is, whitespace around it kept
            "{\"a\":1, \"requestMetadata\" : {\"TenantID\":\"x\",\"k\":\"v\"} ,\"b\":2} | {\"a\":1, \"requestMetadata\" : {\"TenantID\":\"acme\"} ,\"b\":2}",
            "{\"requestMetadata\":null}                                       | {\"requestMetadata\":{\"TenantID\":\"acme\"}}",
    })
    void setsRequestMetadataTouchingNothingElse(String body, String expected) {
        assertEquals(expected, rewritten(body, METADATA, Optional.empty()));
    }

    @Test
    void setsBothMembersInEitherOrder() {
        assertEquals("{\"serviceTier\":{\"type\":\"flex\"},\"x\":[1,{\"y\":2}],\"requestMetadata\":{\"TenantID\":\"acme\"}}",
                rewritten("{\"serviceTier\":{\"type\":\"priority\"},\"x\":[1,{\"y\":2}],\"requestMetadata\":{}}", METADATA, FLEX));
        assertEquals("{\"requestMetadata\":{\"TenantID\":\"acme\"},\"serviceTier\":{\"type\":\"flex\"}}",
                rewritten("{\"requestMetadata\":{},\"serviceTier\":{\"type\":\"priority\"}}", METADATA, FLEX));
        assertEquals("{\"requestMetadata\":{\"TenantID\":\"acme\"},\"serviceTier\":{\"type\":\"flex\"},\"m\":1}",
                rewritten("{\"m\":1}", METADATA, FLEX));
        assertEquals("{\"requestMetadata\":{\"TenantID\":\"acme\"},\"serviceTier\":{\"type\":\"flex\"}}",
                rewritten("{}", METADATA, FLEX));
    }

    @Test
    void readsWhatTheApplicationSent() {
        ConverseBody body = ConverseBody.read(("{\"messages\":[{\"content\":[{\"text\":\"requestMetadata\"}]}],"
                + "\"requestMetadata\":{\"team\":\"blue\",\"TenantID\":\"evil\"},\"serviceTier\":{\"type\":\"priority\"}}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("team", "blue", "TenantID", "evil"), body.metadata());
        assertEquals(Optional.of("priority"), body.tier());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1,2]                                                   | must be a JSON object",
            "{\"requestMetadata\":{},\"requestMetadata\":{}}         | names requestMetadata twice",
            "{\"serviceTier\":{\"type\":\"flex\"},\"serviceTier\":null} | names serviceTier twice",
            "{\"requestMetadata\":{\"a\":1}}                         | value of key 'a' must be a string",
            "{\"requestMetadata\":{\"a\":\"1\",\"a\":\"2\"}}         | names key 'a' twice",
            "{\"requestMetadata\":\"a=1\"}                           | must be a JSON object of strings",
            "{\"serviceTier\":\"flex\"}                              | must be an object such as",
            "{\"serviceTier\":{}}                                    | must name its type",
            "{\"messages\":[}                                        | not valid JSON",
    })
    void refusesWhatBedrockCouldReadOtherwise(String body, String why) {
        ProxyRefusal refusal = assertThrows(ProxyRefusal.class, () -> ConverseBody.read(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ProxyRefusal.Kind.VALIDATION, refusal.kind());
        assertTrue(refusal.getMessage().contains(why), refusal.getMessage());
    }
}
