package dev.bedrocktenant.tenant;

import java.util.regex.Pattern;

/** Recognises the ARNs a tenant's profiles may point at (application inference profiles, usually). */
final class ProfileArns {

    private static final Pattern BEDROCK_ARN =
            Pattern.compile("arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\\d{12}:[a-z-]+/\\S+");

    private ProfileArns() {
    }

    static boolean isBedrockArn(String value) {
        return BEDROCK_ARN.matcher(value).matches();
    }
}
