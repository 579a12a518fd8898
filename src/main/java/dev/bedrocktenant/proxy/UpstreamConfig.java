package dev.bedrocktenant.proxy;

import java.net.URI;
import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where and how the proxy reaches Bedrock Runtime. */
@ConfigMapping(prefix = "proxy")
public interface UpstreamConfig {

    @WithDefault("us-east-1")
    String region();

    /** Bedrock Runtime endpoint; {region} is replaced by {@link #region()}. */
    @WithDefault("https://bedrock-runtime.{region}.amazonaws.com")
    String upstreamUrl();

    Upstream upstream();

    interface Upstream {
        @WithDefault("5s")
        Duration connectTimeout();

        /** Longest silence on a request before it fails; streams may last minutes but not stay silent. */
        @WithDefault("120s")
        Duration idleTimeout();

        @WithDefault("200")
        int maxConnections();

        @WithDefault("25M")
        MemorySize maxRequestBody();
    }

    default URI upstreamUri() {
        return URI.create(upstreamUrl().replace("{region}", region()));
    }
}
