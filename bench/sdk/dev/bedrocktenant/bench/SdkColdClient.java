package dev.bedrocktenant.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * One application's calls through the AWS SDK for Java v2 (async client, Netty), from a fresh JVM: as
 * bench/sdk/cold-boto3.py, same arguments and output. The async client because ConverseStream needs it.
 */
public final class SdkColdClient {

    private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";

    public static void main(String[] args) {
        URI endpoint = URI.create(args[0]);
        int calls = Integer.parseInt(args[1]);
        long intervalNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
        int streamEvery = Integer.parseInt(args[3]);
        boolean tenant = args[4].equals("1");
        Message converse = message("Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]]");
        Message stream = message("Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:events=20]]");
        List<String> lines = new ArrayList<>(calls);
        try (BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIASIMULATOR0000001", "simulator-secret-key")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(c -> {
                    c.retryStrategy(AwsRetryStrategy.doNotRetry());
                    if (tenant) {
                        c.putHeader("X-Tenant-Id", "acme");
                    }
                })
                .build()) {
            long nextCall = System.nanoTime();
            for (int i = 1; i <= calls; i++) {
                LockSupport.parkNanos(nextCall - System.nanoTime());
                long start = System.nanoTime();
                long end;
                if (i % streamEvery == 0) {
                    long[] first = {0};
                    client.converseStream(r -> r.modelId(MODEL).messages(stream),
                            ConverseStreamResponseHandler.builder()
                                    .subscriber(event -> {
                                        if (first[0] == 0) {
                                            first[0] = System.nanoTime();
                                        }
                                    })
                                    .build())
                            .join();
                    end = System.nanoTime();
                    lines.add(i + " stream " + (end - start) / 1000 + " " + (first[0] - start) / 1000);
                } else {
                    client.converse(r -> r.modelId(MODEL).messages(converse)).join();
                    end = System.nanoTime();
                    lines.add(i + " converse " + (end - start) / 1000 + " " + (end - start) / 1000);
                }
                nextCall = Math.max(start + intervalNs, end);
            }
        }
        System.out.println(String.join("\n", lines));
    }

    private static Message message(String text) {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
    }
}
