package dev.bedrocktenant.cli;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.bedrocktenant.signing.SigningCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * What a command takes from outside its command line: the proxy's settings, its AWS credentials and the
 * time. Tests hand in their own; {@link #system()} is what {@code java -jar quarkus-run.jar <command>} sees.
 *
 * @param settings    a configuration key such as {@code proxy.region} to its value, if set
 * @param credentials asked for only by a command that calls AWS
 */
public record CommandEnvironment(Function<String, Optional<String>> settings, Supplier<AwsCredentialsProvider> credentials,
                                 Clock clock) {

    /**
     * Settings as the proxy's own overrides give them — a system property, else its environment variable
     * ({@code proxy.region} → {@code PROXY_REGION}) — and the proxy's credentials: {@code proxy.signing.*}
     * when set, else the AWS default chain.
     */
    public static CommandEnvironment system() {
        return new CommandEnvironment(CommandEnvironment::systemSetting,
                () -> SigningCredentials.of(systemSetting("proxy.signing.access-key-id"),
                        systemSetting("proxy.signing.secret-access-key")),
                Clock.systemUTC());
    }

    public Optional<String> setting(String key) {
        return settings.apply(key);
    }

    private static Optional<String> systemSetting(String key) {
        String variable = key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        return Optional.ofNullable(System.getProperty(key)).or(() -> Optional.ofNullable(System.getenv(variable)))
                .filter(v -> !v.isBlank());
    }
}
