package dev.bedrocktenant.attribution;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.bedrocktenant.wire.BedrockHeaders;
import dev.bedrocktenant.wire.ProxyRefusal;

/**
 * InvokeModel's and InvokeModelWithResponseStream's request metadata: the header
 * {@code X-Amzn-Bedrock-Request-Metadata}, whose value is a JSON object of strings (RequestMetadataJson, at most
 * 8500 characters).
 */
final class MetadataHeader {

    static final String NAME = BedrockHeaders.REQUEST_METADATA.toLowerCase(Locale.ROOT);
    private static final JsonFactory JSON = new JsonFactory();

    private MetadataHeader() {
    }

    /** What the application sent; empty map when it sent no header (or an empty one). */
    static Map<String, String> read(List<String> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        if (values.size() > 1) {
            throw ProxyRefusal.validation("X-Amzn-Bedrock-Request-Metadata is sent " + values.size() + " times");
        }
        String value = values.get(0).trim();
        if (value.isEmpty()) {
            return Map.of();
        }
        try (JsonParser parser = JSON.createParser(value)) {
            parser.nextToken();
            Map<String, String> entries = MetadataJson.read(parser, BedrockHeaders.REQUEST_METADATA);
            if (parser.nextToken() != null) {
                throw ProxyRefusal.validation("X-Amzn-Bedrock-Request-Metadata holds more than one JSON object");
            }
            return entries;
        } catch (JsonProcessingException e) {
            throw ProxyRefusal.validation("X-Amzn-Bedrock-Request-Metadata is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProxyRefusal.validation("X-Amzn-Bedrock-Request-Metadata could not be read");
        }
    }

    static String write(Map<String, String> entries) {
        String value = MetadataJson.write(entries);
        if (value.length() > MetadataLimits.MAX_HEADER_CHARS) {
            throw ProxyRefusal.validation("X-Amzn-Bedrock-Request-Metadata would be " + value.length()
                    + " characters with the tenant's metadata; Bedrock accepts at most " + MetadataLimits.MAX_HEADER_CHARS);
        }
        return value;
    }
}
