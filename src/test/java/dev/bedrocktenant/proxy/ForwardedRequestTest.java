package dev.bedrocktenant.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ForwardedRequestTest {

    @Test
    void encodesModelIdsAsTheAwsSdksDo() {
        assertEquals("arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Aapplication-inference-profile%2Fa0b",
                ForwardedRequest.encodePathSegment("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a0b"));
        assertEquals("anthropic.claude-3-haiku-20240307-v1%3A0",
                ForwardedRequest.encodePathSegment("anthropic.claude-3-haiku-20240307-v1:0"));
        assertEquals("a%20b~c_d-e.f%2A", ForwardedRequest.encodePathSegment("a b~c_d-e.f*"));
    }
}
