package dev.bedrocktenant.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

class QuickClosingNettyClientTest {

    private static long sdkEventLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("aws-java-sdk-NettyEventLoop"))
                .count();
    }

    @Test
    void anAwsClientClosesWithoutNettysTwoSecondQuietPeriodAndLeavesNoEventLoopThread() {
        long before = sdkEventLoopThreads();
        BedrockAsyncClient client = ControlPlaneClients.async(ControlPlaneClients.endpoint("http://127.0.0.1:9", "us-east-1"),
                "us-east-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
                Duration.ofSeconds(2));
        // a call starts the client's event loop thread (it fails: nothing listens on port 9)
        assertThrows(ExecutionException.class, () -> client.listInferenceProfiles(r -> { }).get(10, TimeUnit.SECONDS));
        assertEquals(before + 1, sdkEventLoopThreads(), "the client's own event loop");

        long start = System.nanoTime();
        client.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(closeMillis < 1_500, "Netty's default graceful shutdown waits 2 s of quiet; took " + closeMillis + " ms");
        assertEquals(before, sdkEventLoopThreads(), "its event loop thread has ended");
    }
}
