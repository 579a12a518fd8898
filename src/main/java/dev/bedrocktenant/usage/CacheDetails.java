package dev.bedrocktenant.usage;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A response's cache writes split by TTL, as Bedrock bills them: five-minute writes (the default TTL) and one-hour
 * writes. Read from Converse's {@code usage.cacheDetails} ({@code [{"ttl":"1h","inputTokens":N}, …]}) here, and
 * from Anthropic's own {@code usage.cache_creation} by {@link AnthropicCacheCreation}. A TTL other than these two
 * is counted with the five-minute writes: priced, as all writes but the one-hour ones, at the five-minute rate.
 */
record CacheDetails(long fiveMinuteTokens, long oneHourTokens) {

    private static final String ONE_HOUR = "1h";

    long total() {
        return fiveMinuteTokens + oneHourTokens;
    }

    /** Converse's list, the parser on its opening bracket. @throws MalformedUsage on any other shape */
    static CacheDetails readConverse(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new MalformedUsage("usage field cacheDetails is not a list");
        }
        long fiveMinutes = 0;
        long oneHour = 0;
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String ttl = null;
            long tokens = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("ttl".equals(field) && value == JsonToken.VALUE_STRING) {
                    ttl = parser.getText();
                } else if ("inputTokens".equals(field)) {
                    tokens = count("cacheDetails inputTokens", value, parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (ttl == null || tokens < 0) {
                throw new MalformedUsage("a cacheDetails entry without its ttl or inputTokens");
            }
            if (ONE_HOUR.equals(ttl)) {
                oneHour += tokens;
            } else {
                fiveMinutes += tokens;
            }
        }
        if (parser.currentToken() != JsonToken.END_ARRAY) {
            throw new MalformedUsage("a cacheDetails entry is not an object");
        }
        return new CacheDetails(fiveMinutes, oneHour);
    }

    static long count(String field, JsonToken value, JsonParser parser) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (value != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0) {
            throw new MalformedUsage(field + " is not a non-negative integer");
        }
        return parser.getLongValue();
    }
}
