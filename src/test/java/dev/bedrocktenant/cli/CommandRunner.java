package dev.bedrocktenant.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Runs a command as the shell would, with the settings and credentials a test gives, and keeps what it printed. */
public final class CommandRunner {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Supplier<AwsCredentialsProvider> credentials;

    public CommandRunner(Supplier<AwsCredentialsProvider> credentials) {
        this.credentials = credentials;
    }

    /**
     * @param settings the proxy's configuration as the command sees it
     * @return the exit code; what the run printed is then {@link #out} and {@link #err}
     */
    public int run(Map<String, String> settings, String... args) {
        out.reset();
        err.reset();
        return Commands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new CommandEnvironment(key -> Optional.ofNullable(settings.get(key)), credentials, Clock.systemUTC()));
    }

    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
