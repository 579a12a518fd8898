package dev.bedrocktenant.controlplane;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The SDK's Netty HTTP client on an event loop of its own that closes at once. The SDK closes the event
 * loop it creates itself with Netty's graceful shutdown and a fixed 2 s quiet period, which every stop of the
 * proxy and every command-line run waited out; once the client is closed nothing is in flight, so no quiet
 * period is needed. Give its {@link #builder} to an AWS client builder's {@code httpClientBuilder}: the AWS
 * client then closes it with itself.
 */
public final class QuickClosingNettyClient implements SdkAsyncHttpClient {

    private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

    private final SdkEventLoopGroup eventLoop;
    private final SdkAsyncHttpClient netty;

    private QuickClosingNettyClient(SdkEventLoopGroup eventLoop, SdkAsyncHttpClient netty) {
        this.eventLoop = eventLoop;
        this.netty = netty;
    }

    /** Builds, with the AWS client's defaults, {@code netty} on one event-loop thread of its own. */
    public static SdkAsyncHttpClient.Builder<?> builder(NettyNioAsyncHttpClient.Builder netty) {
        return new Builder(netty);
    }

    private record Builder(NettyNioAsyncHttpClient.Builder netty) implements SdkAsyncHttpClient.Builder<Builder> {
        @Override
        public SdkAsyncHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            SdkEventLoopGroup eventLoop = SdkEventLoopGroup.builder().numberOfThreads(1).build();
            return new QuickClosingNettyClient(eventLoop, netty.eventLoopGroup(eventLoop).buildWithDefaults(serviceDefaults));
        }
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        return netty.execute(request);
    }

    @Override
    public String clientName() {
        return netty.clientName();
    }

    @Override
    public void close() {
        netty.close(); // (leaves an event loop it was given alone)
        eventLoop.eventLoopGroup().shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
