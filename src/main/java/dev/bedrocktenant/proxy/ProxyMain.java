package dev.bedrocktenant.proxy;

import dev.bedrocktenant.cli.Commands;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the proxy. Quarkus answers a URI it cannot parse (a stray '%') with an empty 400 before
 * any route runs; the proxy validates Bedrock paths itself and answers in Bedrock's error shape,
 * so the listener's own check is turned off. (The test suite sets the same property in the pom.)
 *
 * <p>A command ({@code provision}, {@code profiles}, {@code reconcile}) as first argument runs instead,
 * without starting Quarkus: commands run beside a running proxy, and starting Quarkus would start the
 * proxy's listener, usage ledger and discovery too. That is why they are plain picocli, not the
 * quarkus-picocli extension, which runs a command only once Quarkus has started.
 */
@QuarkusMain
public final class ProxyMain {

    static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

    private ProxyMain() {
    }

    public static void main(String... args) {
        if (Commands.handles(args)) {
            System.exit(Commands.run(args));
        }
        System.setProperty(DISABLE_URI_VALIDATION, "true");
        Quarkus.run(args);
    }
}
