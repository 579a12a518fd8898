package dev.bedrocktenant.attribution;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Stamping the tenant into Bedrock's per-request metadata (docs/reference.md, "Request metadata"). */
@ConfigMapping(prefix = "proxy.request-metadata")
public interface RequestMetadataConfig {

    /**
     * Put the tenant tag and the tenant's tags into every Converse / ConverseStream body's requestMetadata and
     * every InvokeModel / InvokeModelWithResponseStream's X-Amzn-Bedrock-Request-Metadata header.
     */
    @WithDefault("true")
    boolean enabled();
}
