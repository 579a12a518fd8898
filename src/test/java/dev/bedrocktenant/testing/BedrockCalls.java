package dev.bedrocktenant.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/** Requests as applications write them, and collectors for the two event streams. */
public final class BedrockCalls {

    public static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

    private BedrockCalls() {
    }

    public static ConverseRequest converse(String modelId, String prompt) {
        return ConverseRequest.builder().modelId(modelId).messages(userMessage(prompt)).build();
    }

    public static ConverseStreamRequest converseStream(String modelId, String prompt) {
        return ConverseStreamRequest.builder().modelId(modelId).messages(userMessage(prompt)).build();
    }

    public static InvokeModelRequest invokeModel(String modelId, String prompt) {
        return InvokeModelRequest.builder().modelId(modelId).contentType("application/json").accept("application/json")
                .body(SdkBytes.fromUtf8String(anthropicBody(prompt))).build();
    }

    public static InvokeModelWithResponseStreamRequest invokeModelStream(String modelId, String prompt) {
        return InvokeModelWithResponseStreamRequest.builder().modelId(modelId).contentType("application/json")
                .accept("application/json").body(SdkBytes.fromUtf8String(anthropicBody(prompt))).build();
    }

    public static Message userMessage(String prompt) {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(prompt)).build();
    }

    public static String anthropicBody(String prompt) {
        return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":" + Document.fromString(prompt).toString() + "}]}]}";
    }

    /** What a ConverseStream delivered to the application, with arrival times. */
    public static final class ConverseStreamResult {
        public final List<String> texts = new ArrayList<>();
        public final List<Long> arrivalNanos = new ArrayList<>();
        public volatile ConverseStreamMetadataEvent metadata;
    }

    public static ConverseStreamResult converseStream(BedrockRuntimeAsyncClient client, ConverseStreamRequest request)
            throws Exception {
        ConverseStreamResult result = new ConverseStreamResult();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(delta -> {
                            synchronized (result) {
                                result.texts.add(delta.delta().text());
                                result.arrivalNanos.add(System.nanoTime());
                            }
                        })
                        .onMetadata(m -> result.metadata = m)
                        .build())
                .build();
        client.converseStream(request, handler).get(60, TimeUnit.SECONDS);
        return result;
    }

    /** The decoded chunk payloads of an InvokeModelWithResponseStream, in order. */
    public static List<String> invokeModelStream(BedrockRuntimeAsyncClient client,
                                                 InvokeModelWithResponseStreamRequest request) throws Exception {
        List<String> chunks = new ArrayList<>();
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                        .onChunk(chunk -> {
                            synchronized (chunks) {
                                chunks.add(chunk.bytes().asUtf8String());
                            }
                        })
                        .build())
                .build();
        client.invokeModelWithResponseStream(request, handler).get(60, TimeUnit.SECONDS);
        return chunks;
    }
}
