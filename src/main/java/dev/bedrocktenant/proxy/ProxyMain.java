package dev.bedrocktenant.proxy;

import java.util.Arrays;

import dev.bedrocktenant.admin.ReconcileCommand;
import dev.bedrocktenant.cli.Commands;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the proxy. Quarkus answers a URI it cannot parse (a stray '%') with an empty 400 before
 * any route runs; the proxy validates Bedrock paths itself and answers in Bedrock's error shape,
 * so the listener's own check is turned off. (The test suite sets the same property in the pom.)
 *
 * <p>{@code reconcile}, {@code provision} and {@code profiles} as first argument run that command
 * instead, without starting the proxy.
 */
@QuarkusMain
public final class ProxyMain {

    static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

    private ProxyMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && ReconcileCommand.NAME.equals(args[0])) {
            System.exit(ReconcileCommand.fromEnvironment().run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (Commands.handles(args)) {
            // platform-team commands (provision, profiles …) run without starting the proxy
            System.exit(Commands.run(args));
        }
        System.setProperty(DISABLE_URI_VALIDATION, "true");
        Quarkus.run(args);
    }
}
