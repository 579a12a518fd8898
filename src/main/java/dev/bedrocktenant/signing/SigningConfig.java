package dev.bedrocktenant.signing;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the proxy signs what it forwards to Bedrock. */
@ConfigMapping(prefix = "proxy")
public interface SigningConfig {

    /** AWS region of Bedrock; also the SigV4 signing region. */
    @WithDefault("us-east-1")
    String region();

    /** STS, where tenants' roles are assumed; {region} is replaced by {@link #region()}. */
    @WithDefault("https://sts.{region}.amazonaws.com")
    String stsUrl();

    Signing signing();

    interface Signing {
        /** SigV4 signing name of Bedrock Runtime (from its service model). */
        @WithDefault("bedrock")
        String serviceName();

        /**
         * Fixed credentials, for the built-in simulator only. Unset in production: the proxy then
         * uses the AWS default credential chain (env, profile, web identity/IRSA, container, instance).
         */
        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();

        /** A tenant role's credentials are refreshed in the background this long before they expire. */
        @WithDefault("5m")
        Duration rolePrefetchTime();

        /** Within this of expiry a call waits (off the event loop) for fresh credentials. */
        @WithDefault("1m")
        Duration roleStaleTime();

        /** Time allowed for one AssumeRole call. */
        @WithDefault("10s")
        Duration roleAssumeTimeout();
    }
}
