package dev.bedrocktenant.budget.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bedrocktenant.controlplane.QuickClosingNettyClient;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClientBuilder;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes each message to a standard SNS topic, in the topic's own Region: the JSON as Message, a short
 * Subject (for e-mail subscriptions), and {@code tenant} and {@code level} as message attributes, so that a
 * subscription's filter policy can pick tenants or levels. Throttling, 5xx and no answer may pass later;
 * other errors never will.
 */
final class SnsTopic implements Destination {

    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:([a-z0-9-]+):\\d{12}:[A-Za-z0-9_-]{1,256}");

    private final SnsAsyncClient client;
    private final String arn;

    SnsTopic(SnsAsyncClient client, String arn) {
        this.client = client;
        this.arn = arn;
    }

    /**
     * @param endpoint unset: the SDK's endpoint for the topic's Region
     * @param timeout  per Publish; the SDK's own retries are off, since the sender retries with its own backoff
     */
    static SnsTopic create(String arn, Optional<URI> endpoint, AwsCredentialsProvider credentials, Duration timeout) {
        Matcher topic = TOPIC_ARN.matcher(arn);
        if (!topic.matches()) {
            throw new IllegalArgumentException("proxy.notify.sns-topic-arn must be a standard topic's ARN,"
                    + " arn:aws:sns:<region>:<account>:<name>, not " + arn);
        }
        SnsAsyncClientBuilder builder = SnsAsyncClient.builder()
                .region(Region.of(topic.group(1)))
                .credentialsProvider(credentials)
                .httpClientBuilder(QuickClosingNettyClient.builder(NettyNioAsyncHttpClient.builder()))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout));
        endpoint.ifPresent(builder::endpointOverride);
        return new SnsTopic(builder.build(), arn);
    }

    @Override
    public String name() {
        return "sns";
    }

    @Override
    public CompletableFuture<Void> deliver(AlertMessage message) {
        return client.publish(r -> r.topicArn(arn)
                        .subject(message.subject())
                        .message(message.json())
                        .messageAttributes(Map.of("tenant", text(message.tenant()), "level", text(message.level()))))
                .handle((published, error) -> {
                    if (error != null) {
                        throw failure(error);
                    }
                    return null;
                });
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** The SDK's messages name the error code, status and request id, never credentials. */
    private static DeliveryFailure failure(Throwable error) {
        Throwable cause = DeliveryFailure.causeOf(error);
        boolean retryable = !(cause instanceof AwsServiceException service)
                || service.statusCode() >= 500 || service.statusCode() == 429 || service.isThrottlingException();
        return new DeliveryFailure(cause.getClass().getSimpleName() + ": " + cause.getMessage(), retryable);
    }

    @Override
    public String toString() {
        return "SNS topic " + arn;
    }

    @Override
    public void close() {
        client.close();
    }
}
