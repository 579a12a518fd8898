package dev.bedrocktenant.budget.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where alert level changes are sent, and how hard the proxy tries (docs/reference.md §6). */
@ConfigMapping(prefix = "proxy.notify")
public interface NotifyConfig {

    /** Receives a JSON POST per change, Slack-compatible; may hold a token, so it is never logged whole. */
    Optional<URI> webhookUrl();

    /** Receives a Publish per change, in the topic's own Region, with the proxy's credentials. */
    Optional<String> snsTopicArn();

    /** A VPC endpoint or a fake; unset: the SDK's endpoint for the topic's Region (or AWS_ENDPOINT_URL_SNS). */
    Optional<URI> snsEndpoint();

    /** Changes waiting per destination; beyond it the oldest waiting is dropped and counted. */
    @WithDefault("1000")
    int queueSize();

    /** Attempts per change and destination, the first included, before it is dropped and counted. */
    @WithDefault("5")
    int maxAttempts();

    /** Wait before the first retry; doubled for each further one (with jitter), up to retry-max-delay. */
    @WithDefault("1s")
    Duration retryInitialDelay();

    @WithDefault("30s")
    Duration retryMaxDelay();

    /** Time allowed for one webhook POST or SNS Publish. */
    @WithDefault("10s")
    Duration requestTimeout();
}
