package dev.bedrocktenant.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

import dev.bedrocktenant.controlplane.ControlPlaneClients;
import dev.bedrocktenant.profile.ProfileDiscovery;
import dev.bedrocktenant.signing.SigningCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

/**
 * The platform team's commands, run by {@code java -jar quarkus-run.jar <command>} without starting the
 * proxy: {@code provision} and {@code profiles list|get|tag|delete}. Exit code 0 on success, 1 when
 * something failed, 2 for a wrong command line.
 */
public final class Commands {

    static final String USAGE = """
            usage:
              provision --tenants tenants.yaml [--models m1,m2] [--dry-run] [--write-back]
              profiles list [--tenant T]
              profiles get <arn|id>
              profiles tag <arn> Key=Value...
              profiles delete <arn>
            options for all: --endpoint URL (proxy.control-plane-url), --region R (proxy.region),
                             --tag-key K (proxy.profiles.tag-key), --name-prefix P (proxy.profiles.name-prefix)""";

    private Commands() {
    }

    public static boolean handles(String... args) {
        return args.length > 0 && (args[0].equals("provision") || args[0].equals("profiles"));
    }

    /** With the proxy's credentials: proxy.signing.* when set, else the AWS default chain. */
    public static int run(String... args) {
        return run(args, System.out, System.err, SigningCredentials.of(CliOptions.setting("proxy.signing.access-key-id"),
                CliOptions.setting("proxy.signing.secret-access-key")));
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AwsCredentialsProvider credentials) {
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String region = options.valueOrSetting("--region", "proxy.region").orElse("us-east-1");
        String url = options.valueOrSetting("--endpoint", "proxy.control-plane-url").orElse(ControlPlaneClients.DEFAULT_URL);
        try (BedrockAsyncClient bedrock = ControlPlaneClients.async(ControlPlaneClients.endpoint(url, region), region,
                credentials, Duration.ofMinutes(2))) {
            ProfileDiscovery discovery = new ProfileDiscovery(bedrock);
            String tagKey = options.valueOrSetting("--tag-key", "proxy.profiles.tag-key").orElse("TenantID");
            Optional<Integer> code = switch (options.words().get(0)) {
                case "provision" -> Optional.of(new ProvisionCommand(bedrock, discovery, region, tagKey,
                        options.valueOrSetting("--name-prefix", "proxy.profiles.name-prefix").orElse("btp"), out, err).run(options));
                case "profiles" -> new ProfilesCommand(bedrock, discovery, tagKey, out, err).run(options);
                default -> Optional.empty();
            };
            if (code.isEmpty()) {
                err.println(USAGE);
                return 2;
            }
            return code.get();
        } catch (RuntimeException e) {
            err.println("error: " + ProvisionCommand.reason(e));
            return 1;
        }
    }
}
