package dev.bedrocktenant.usage;

import java.util.Map;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * InvokeModel: the body is the model's own format, so Bedrock reports the tokens in response
 * headers instead; the body is not looked at.
 */
final class InvokeModelUsageReader extends ResponseUsageReader {

    static final String INPUT = "X-Amzn-Bedrock-Input-Token-Count";
    static final String OUTPUT = "X-Amzn-Bedrock-Output-Token-Count";
    static final String CACHE_READ = "X-Amzn-Bedrock-Cache-Read-Input-Token-Count";
    static final String CACHE_WRITE = "X-Amzn-Bedrock-Cache-Write-Input-Token-Count";

    private static final TokenFieldNames HEADERS = new TokenFieldNames(INPUT, OUTPUT, CACHE_READ, CACHE_WRITE);

    @Override
    void readHeaders(MultiMap headers) {
        outputNow(); // the body is the whole answer: a success has used tokens, whatever its headers say
        TokenCounts counts = new TokenCounts(HEADERS);
        // Compared ignoring case ourselves: HTTP names are case-insensitive whatever map is passed.
        for (Map.Entry<String, String> header : headers) {
            for (String name : new String[] {INPUT, OUTPUT, CACHE_READ, CACHE_WRITE}) {
                if (name.equalsIgnoreCase(header.getKey())) {
                    counts.put(name, count(name, header.getValue()));
                }
            }
        }
        reported(counts.toUsage());
    }

    private static long count(String name, String value) {
        try {
            long count = Long.parseLong(value.trim());
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MalformedUsage(name + " is not a token count: '" + value + "'");
    }

    @Override
    void readBody(Buffer bytes) {
        // the usage was in the headers
    }
}
