package dev.bedrocktenant.proxy;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the proxy accepts from a caller before it refuses, so that no request can hold it without bound. */
@ConfigMapping(prefix = "proxy.request")
public interface RequestConfig {

    /** Headers in one request; an AWS SDK sends about a dozen. */
    @WithDefault("100")
    int maxHeaders();

    /** Total size of a request's headers: names, values, and 4 bytes each for ": " and CRLF. */
    @WithDefault("64K")
    MemorySize maxHeaderBytes();

    /** Longest a request's body may take to arrive after its headers. */
    @WithDefault("60s")
    Duration bodyTimeout();
}
