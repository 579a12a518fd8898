package dev.bedrocktenant.admin;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The command line of {@code reconcile}. Defaults come from the proxy's own configuration keys
 * (as system property or environment variable), so the command sees what the proxy sees.
 */
public record ReconcileOptions(ReportWindow window, Path tenantsFile, Path ledgerDir, String region,
                               Optional<URI> endpoint) {

    public static final String USAGE = """
            usage: reconcile --from <instant|date> --to <instant|date> [--tenants tenants.yaml]
                             [--ledger-dir usage-ledger] [--region us-east-1] [--endpoint https://monitoring…]
              Compares the usage ledger with Bedrock's own CloudWatch metrics (AWS/Bedrock Invocations,
              InputTokenCount, OutputTokenCount per application inference profile) over [from, to).
              A date means 00:00Z of that day for --from and the end of that day for --to.
              Credentials: the AWS default chain (AWS_ACCESS_KEY_ID…, AWS_PROFILE, web identity, instance).
              Exit code: 0 all match, 1 a mismatch, 2 an error.""";

    private static final Set<String> OPTIONS = Set.of("--from", "--to", "--tenants", "--ledger-dir", "--region", "--endpoint");

    /**
     * @param config looks up a configuration key such as {@code proxy.region}
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ReconcileOptions parse(String[] args, Function<String, Optional<String>> config) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            if (!OPTIONS.contains(arg)) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            given.put(arg, value);
        }
        if (!given.containsKey("--from") || !given.containsKey("--to")) {
            throw new IllegalArgumentException("--from and --to are required");
        }
        String region = Optional.ofNullable(given.get("--region"))
                .or(() -> config.apply("proxy.region"))
                .or(() -> config.apply("aws.region"))
                .orElse("us-east-1");
        return new ReconcileOptions(ReportWindow.parse(given.get("--from"), given.get("--to")),
                Path.of(Optional.ofNullable(given.get("--tenants")).or(() -> config.apply("proxy.tenants-file")).orElse("tenants.yaml")),
                Path.of(Optional.ofNullable(given.get("--ledger-dir")).or(() -> config.apply("proxy.ledger.dir")).orElse("usage-ledger")),
                region,
                Optional.ofNullable(given.get("--endpoint")).or(() -> config.apply("proxy.cloudwatch.endpoint")).map(URI::create));
    }

    /** A key from a system property, else from its environment variable ({@code proxy.region} → {@code PROXY_REGION}). */
    public static Optional<String> systemConfig(String key) {
        return Optional.ofNullable(System.getProperty(key))
                .or(() -> Optional.ofNullable(System.getenv(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"))))
                .filter(v -> !v.isBlank());
    }
}
