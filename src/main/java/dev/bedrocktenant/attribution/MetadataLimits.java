package dev.bedrocktenant.attribution;

/**
 * Bedrock's limits on request metadata (bedrock-runtime 2023-09-30: RequestMetadata, RequestMetadataKeyString,
 * RequestMetadataValueString, RequestMetadataJson), checked here so that a request that cannot carry the tenant's
 * metadata is refused with a message saying why rather than by Bedrock with one that does not.
 */
final class MetadataLimits {

    static final int MAX_ENTRIES = 16;
    static final int MAX_KEY_CHARS = 256;
    static final int MAX_VALUE_CHARS = 256;
    /** The X-Amzn-Bedrock-Request-Metadata header's value. */
    static final int MAX_HEADER_CHARS = 8500;
    static final String ALLOWED = "letters, digits, whitespace and : _ @ $ # = / + , - .";

    private MetadataLimits() {
    }

    /** The model's pattern {@code [a-zA-Z0-9\s:_@$#=/+,-.]}, by hand: it runs for every entry of every request. */
    static boolean fits(String text, int minChars, int maxChars) {
        if (text.length() < minChars || text.length() > maxChars) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B
                    || ":_@$#=/+,-.".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean fitsKey(String key) {
        return fits(key, 1, MAX_KEY_CHARS);
    }

    static boolean fitsValue(String value) {
        return fits(value, 0, MAX_VALUE_CHARS);
    }
}
