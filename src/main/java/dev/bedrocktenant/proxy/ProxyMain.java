package dev.bedrocktenant.proxy;

import dev.bedrocktenant.cli.Commands;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the proxy. Quarkus answers a URI it cannot parse (a stray '%') with an empty 400 before
 * any route runs; the proxy validates Bedrock paths itself and answers in Bedrock's error shape,
 * so the listener's own check is turned off. (The test suite sets the same property in the pom.)
 */
@QuarkusMain
public final class ProxyMain {

    static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

    private ProxyMain() {
    }

    public static void main(String... args) {
        if (Commands.handles(args)) {
            // platform-team commands (provision, profiles …) run without starting the proxy
            System.exit(Commands.run(args));
        }
        System.setProperty(DISABLE_URI_VALIDATION, "true");
        Quarkus.run(args);
    }
}
