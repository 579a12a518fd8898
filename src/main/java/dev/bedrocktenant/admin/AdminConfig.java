package dev.bedrocktenant.admin;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The admin API on the proxy's own listener. */
@ConfigMapping(prefix = "proxy.admin")
public interface AdminConfig {

    /** Bearer token the admin API requires; when absent the API is open to whoever reaches the listener. */
    Optional<String> token();
}
