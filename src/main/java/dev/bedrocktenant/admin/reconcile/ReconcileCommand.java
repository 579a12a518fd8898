package dev.bedrocktenant.admin.reconcile;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.bedrocktenant.cli.CloudWatchOptions;
import dev.bedrocktenant.cli.CommandEnvironment;
import dev.bedrocktenant.cli.Setting;
import dev.bedrocktenant.metering.ledger.LedgerEntry;
import dev.bedrocktenant.metering.ledger.LedgerReader;
import dev.bedrocktenant.metering.ledger.upload.BucketLocation;
import dev.bedrocktenant.tenant.InvalidTenantsFile;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * {@code reconcile}: does the usage ledger agree with what Bedrock itself counted per application
 * inference profile? Runs without the proxy: no listener, no CDI.
 */
@Command(name = "reconcile", description = {
        "Compares the usage ledger with Bedrock's own CloudWatch metrics (AWS/Bedrock Invocations,",
        "InputTokenCount, OutputTokenCount per application inference profile) over [from, to).",
        "With --invocation-logs, compares it instead with Bedrock's model invocation logs, request by request:",
        "calls that bypassed the proxy, and token counts that differ.",
        "A date means 00:00Z of that day for --from and the end of that day for --to.",
        "Credentials: proxy.signing.* when set, else the AWS default chain."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:all figures match", "1:a mismatch", "2:an error, or a wrong command line"})
@RegisterForReflection
public final class ReconcileCommand implements Callable<Integer> {

    private static final int MATCH = 0;
    private static final int MISMATCH = 1;
    private static final int ERROR = 2;

    /** Bedrock publishes its metrics with some delay; figures for the last minutes may still grow. */
    static final Duration CLOUDWATCH_DELAY = Duration.ofMinutes(5);

    @Option(names = "--from", paramLabel = "INSTANT|DATE", required = true, description = "start, included")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT|DATE", required = true, description = "end, excluded (a date: its end)")
    String to;

    @Option(names = "--tenants", paramLabel = "FILE", defaultValue = "tenants.yaml",
            description = "the tenants file (proxy.tenants-file); default: ${DEFAULT-VALUE}")
    @Setting("proxy.tenants-file")
    String tenantsFile;

    @Option(names = "--ledger-dir", paramLabel = "DIR", defaultValue = "usage-ledger",
            description = "the usage ledger (proxy.ledger.dir); default: ${DEFAULT-VALUE}")
    @Setting("proxy.ledger.dir")
    String ledgerDir;

    @Option(names = "--invocation-logs", paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "Bedrock's model invocation logs: a directory of log files, or the S3 prefix they are delivered to")
    String invocationLogs;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "an S3-compatible endpoint for --invocation-logs s3://… (path-style); default: AWS S3")
    URI s3Endpoint;

    @Option(names = "--tag-key", paramLabel = "KEY", defaultValue = "TenantID",
            description = "the tenant's key in the logs' requestMetadata (proxy.profiles.tag-key); default: ${DEFAULT-VALUE}")
    @Setting("proxy.profiles.tag-key")
    String tagKey;

    @Mixin
    CloudWatchOptions cloudWatch;

    @Spec
    CommandSpec spec;

    private final CommandEnvironment environment;

    public ReconcileCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    /** @return the exit code: {@link #MATCH}, {@link #MISMATCH} or {@link #ERROR} */
    @Override
    public Integer call() {
        ReportWindow window;
        try {
            window = ReportWindow.parse(from, to);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            return invocationLogs == null ? reconcile(window, spec.commandLine().getOut())
                    : reconcileWithInvocationLogs(window, spec.commandLine().getOut());
        } catch (IOException | InvalidTenantsFile | IllegalArgumentException e) {
            err.println("reconcile: " + e.getMessage());
            return ERROR;
        } catch (SdkException | java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() instanceof SdkException sdk ? sdk : e;
            err.println("reconcile: " + (invocationLogs == null ? "CloudWatch GetMetricData" : "reading the invocation logs")
                    + " failed: " + cause.getMessage());
            return ERROR;
        }
    }

    private int reconcile(ReportWindow window, PrintWriter out) throws IOException {
        Path tenants = Path.of(tenantsFile);
        Path ledgerDir = Path.of(this.ledgerDir);
        String region = cloudWatch.region();
        Optional<URI> endpoint = cloudWatch.endpoint();
        List<TenantProfile> profiles = TenantProfile.readAll(tenants);
        if (profiles.isEmpty()) {
            spec.commandLine().getErr().println("reconcile: no tenant in " + tenants
                    + " has an application inference profile (profiles map)");
            return ERROR;
        }
        LedgerTotals.Result ledger = LedgerTotals.read(ledgerDir, window);
        Map<String, ProfileTotals> bedrock;
        try (CloudWatchAsyncClient client = cloudWatch.client(environment.credentials().get())) {
            bedrock = new BedrockMetricTotals(client).read(
                    profiles.stream().map(TenantProfile::profileArn).distinct().toList(), window, environment.clock().instant());
        }

        out.println("Reconciling " + window.from() + " .. " + window.to());
        out.println("  ledger:     " + ledgerDir + " (" + ledger.linesInWindow() + " lines in the window"
                + (ledger.unreadableLines() > 0 ? ", " + ledger.unreadableLines() + " unreadable lines skipped" : "") + ")");
        out.println("  CloudWatch: AWS/Bedrock in " + region + endpoint.map(e -> " via " + e).orElse("")
                + ", Sum, ModelId = profile ARN");
        if (!window.minuteAligned()) {
            out.println("  note: CloudWatch counts whole minutes; bounds inside a minute may not compare exactly");
        }
        if (window.to().isAfter(environment.clock().instant().minus(CLOUDWATCH_DELAY))) {
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

    /** A call is stamped at its start by Bedrock and at its end by the proxy: the ledger is searched this much wider. */
    static final Duration LEDGER_MARGIN = Duration.ofMinutes(15);

    private int reconcileWithInvocationLogs(ReportWindow window, PrintWriter out) throws IOException {
        Path ledgerDir = Path.of(this.ledgerDir);
        if (!Files.isDirectory(ledgerDir)) {
            throw new IOException("ledger directory " + ledgerDir + " does not exist");
        }
        InvocationLogs.Result logs = invocationLogs.startsWith("s3://")
                ? InvocationLogs.fromBucket(BucketLocation.parse(invocationLogs), cloudWatch.region(),
                        Optional.ofNullable(s3Endpoint), environment.credentials().get(), window)
                : InvocationLogs.fromDirectory(Path.of(invocationLogs), window);
        List<LedgerEntry> ledger;
        try (Stream<LedgerEntry> entries = new LedgerReader(ledgerDir).read(window.from().minus(LEDGER_MARGIN),
                window.to().plus(LEDGER_MARGIN))) {
            ledger = entries.toList();
        }
        InvocationLogReport report = new InvocationLogReport(logs.records(), ledger, e -> window.contains(e.timestamp()), tagKey);

        out.println("Reconciling " + window.from() + " .. " + window.to() + " with Bedrock's model invocation logs");
        out.println("  ledger:          " + ledgerDir + " (" + ledger.stream().filter(e -> window.contains(e.timestamp())).count()
                + " lines in the window)");
        out.println("  invocation logs: " + logs.source() + " (" + logs.filesRead() + " files, " + logs.records().size()
                + " records in the window" + (logs.unreadable() > 0 ? ", " + logs.unreadable() + " unreadable skipped" : "") + ")");
        out.println();
        report.print(out);
        return report.agrees() ? MATCH : MISMATCH;
    }
}
