package dev.bedrocktenant.signing;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the proxy signs what it forwards to Bedrock. */
@ConfigMapping(prefix = "proxy")
public interface SigningConfig {

    /** AWS region of Bedrock; also the SigV4 signing region. */
    @WithDefault("us-east-1")
    String region();

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
    }
}
