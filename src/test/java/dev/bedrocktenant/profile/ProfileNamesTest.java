package dev.bedrocktenant.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ProfileNamesTest {

    private static final Pattern AWS_NAME = Pattern.compile("([0-9a-zA-Z][ _-]?)+");
    private static final Pattern AWS_TOKEN = Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]{0,254}[a-zA-Z0-9])?");

    @Test
    void namesFollowAwsRules() {
        String name = ProfileNames.name("btp", "acme", "anthropic.claude-3-haiku-20240307-v1:0");
        assertEquals("btp-acme-anthropic-claude-3-haiku-20240307-v1-0", name);
        assertTrue(AWS_NAME.matcher(name).matches());
    }

    @Test
    void longNamesAreCutToSixtyFourAndStayDistinct() {
        String a = ProfileNames.name("btp", "a-very-long-tenant-name-for-a-large-customer-1", "anthropic.claude-sonnet-4-20250514-v1:0");
        String b = ProfileNames.name("btp", "a-very-long-tenant-name-for-a-large-customer-2", "anthropic.claude-sonnet-4-20250514-v1:0");
        assertTrue(a.length() <= ProfileNames.MAX_NAME_LENGTH, a);
        assertTrue(AWS_NAME.matcher(a).matches(), a);
        assertNotEquals(a, b);
    }

    @Test
    void tokensAreDeterministicAndValid() {
        String token = ProfileNames.clientRequestToken("acme", "amazon.nova-lite-v1:0");
        assertEquals(token, ProfileNames.clientRequestToken("acme", "amazon.nova-lite-v1:0"));
        assertTrue(AWS_TOKEN.matcher(token).matches());
        assertNotEquals(token, ProfileNames.clientRequestToken("globex", "amazon.nova-lite-v1:0"));
    }
}
