package dev.bedrocktenant.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.bedrocktenant.metering.cloudwatch.CloudWatchClients;
import dev.bedrocktenant.tenant.InvalidTenantsFile;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * {@code reconcile}: does the usage ledger agree with what Bedrock itself counted per application
 * inference profile? Plain Java: run before Quarkus starts, no listener, no CDI.
 */
public final class ReconcileCommand {

    public static final String NAME = "reconcile";
    public static final int MATCH = 0;
    public static final int MISMATCH = 1;
    public static final int ERROR = 2;

    /** Bedrock publishes its metrics with some delay; figures for the last minutes may still grow. */
    static final Duration CLOUDWATCH_DELAY = Duration.ofMinutes(5);

    private final PrintStream out;
    private final PrintStream err;
    private final AwsCredentialsProvider credentials;
    private final Function<String, Optional<String>> config;
    private final Clock clock;

    public ReconcileCommand(PrintStream out, PrintStream err, AwsCredentialsProvider credentials,
                            Function<String, Optional<String>> config, Clock clock) {
        this.out = out;
        this.err = err;
        this.credentials = credentials;
        this.config = config;
        this.clock = clock;
    }

    /** As {@code java -jar quarkus-run.jar reconcile …} runs it. */
    public static ReconcileCommand fromEnvironment() {
        return new ReconcileCommand(System.out, System.err, DefaultCredentialsProvider.builder().build(),
                ReconcileOptions::systemConfig, Clock.systemUTC());
    }

    /** @return the exit code: {@link #MATCH}, {@link #MISMATCH} or {@link #ERROR} */
    public int run(String... args) {
        ReconcileOptions options;
        try {
            options = ReconcileOptions.parse(args, config);
        } catch (IllegalArgumentException e) {
            err.println("reconcile: " + e.getMessage());
            err.println(ReconcileOptions.USAGE);
            return ERROR;
        }
        try {
            return reconcile(options);
        } catch (IOException | InvalidTenantsFile | IllegalArgumentException e) {
            err.println("reconcile: " + e.getMessage());
            return ERROR;
        } catch (SdkException | java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() instanceof SdkException sdk ? sdk : e;
            err.println("reconcile: CloudWatch GetMetricData failed: " + cause.getMessage());
            return ERROR;
        }
    }

    private int reconcile(ReconcileOptions options) throws IOException {
        List<TenantProfile> profiles = TenantProfile.readAll(options.tenantsFile());
        if (profiles.isEmpty()) {
            err.println("reconcile: no tenant in " + options.tenantsFile() + " has an application inference profile (profiles map)");
            return ERROR;
        }
        ReportWindow window = options.window();
        LedgerTotals.Result ledger = LedgerTotals.read(options.ledgerDir(), window);
        Map<String, ProfileTotals> bedrock;
        try (CloudWatchAsyncClient client = CloudWatchClients.forReading(options.region(), options.endpoint(), credentials)) {
            bedrock = new BedrockMetricTotals(client).read(
                    profiles.stream().map(TenantProfile::profileArn).distinct().toList(), window, clock.instant());
        }

        out.println("Reconciling " + window.from() + " .. " + window.to());
        out.println("  ledger:     " + options.ledgerDir() + " (" + ledger.linesInWindow() + " lines in the window"
                + (ledger.unreadableLines() > 0 ? ", " + ledger.unreadableLines() + " unreadable lines skipped" : "") + ")");
        out.println("  CloudWatch: AWS/Bedrock in " + options.region() + options.endpoint().map(e -> " via " + e).orElse("")
                + ", Sum, ModelId = profile ARN");
        if (!window.minuteAligned()) {
            out.println("  note: CloudWatch counts whole minutes; bounds inside a minute may not compare exactly");
        }
        if (window.to().isAfter(clock.instant().minus(CLOUDWATCH_DELAY))) {
            out.println("  note: the window ends less than " + CLOUDWATCH_DELAY.toMinutes()
                    + " minutes ago; Bedrock may not have published its last figures yet");
        }
        out.println();
        ReconcileReport report = new ReconcileReport();
        for (TenantProfile profile : profiles) {
            report.compare(profile, ledger.of(profile.profileArn()), bedrock.getOrDefault(profile.profileArn(), ProfileTotals.ZERO));
        }
        report.print(out);
        return report.mismatches() == 0 ? MATCH : MISMATCH;
    }
}
