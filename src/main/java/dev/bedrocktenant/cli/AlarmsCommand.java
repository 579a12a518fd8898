package dev.bedrocktenant.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import dev.bedrocktenant.profile.ProfileRequest;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.Tenants;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * {@code alarms}: every tenant gets CloudWatch alarms on the proxy's own metrics, summed over all its models —
 * requests and tokens per minute, estimated USD in 5 minutes — each notifying an SNS topic. Describes before it
 * puts, and puts only what is missing or differs, so a second run changes nothing.
 */
@Command(name = "alarms", description = {
        "Gives every tenant CloudWatch alarms on the proxy's metrics over all its models: requests and",
        "tokens per minute (its limits times --ratio) and estimated USD in 5 minutes (its budget.dailyUsd",
        "times --budget-share), each notifying an SNS topic; creates or updates only what differs."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done", "1:an alarm or CloudWatch failed", "2:a wrong command line"})
@RegisterForReflection
final class AlarmsCommand implements Callable<Integer> {

    @Mixin
    TenantMetricsOptions tenantMetrics;

    @Option(names = "--sns-topic-arn", paramLabel = "ARN",
            description = "the topic every alarm notifies (proxy.notify.sns-topic-arn); required")
    @Setting("proxy.notify.sns-topic-arn")
    String snsTopicArn;

    @Option(names = "--ratio", paramLabel = "R", defaultValue = "1",
            description = "share of a tenant's requestsPerMinute and tokensPerMinute that alarms; default: ${DEFAULT-VALUE}")
    BigDecimal ratio;

    @Option(names = "--budget-share", paramLabel = "S", defaultValue = "0.1",
            description = "share of a tenant's budget.dailyUsd spent in 5 minutes that alarms; default: ${DEFAULT-VALUE}")
    BigDecimal budgetShare;

    @Option(names = "--requests-per-minute", paramLabel = "N", description = "threshold for every tenant, instead of its limits")
    BigDecimal requestsPerMinute;

    @Option(names = "--tokens-per-minute", paramLabel = "N", description = "threshold for every tenant, instead of its limits")
    BigDecimal tokensPerMinute;

    @Option(names = "--cost-per-5m", paramLabel = "USD", description = "threshold for every tenant, instead of its budget")
    BigDecimal costPer5m;

    @Mixin
    CloudWatchOptions cloudWatchOptions;

    @Option(names = "--name-prefix", paramLabel = "PREFIX", defaultValue = "btp",
            description = "alarms are named PREFIX-TENANT-KIND (proxy.profiles.name-prefix); default: ${DEFAULT-VALUE}")
    @Setting("proxy.profiles.name-prefix")
    String namePrefix;

    @Option(names = "--tag-key", paramLabel = "KEY", defaultValue = "TenantID",
            description = "tag naming an alarm's tenant (proxy.profiles.tag-key); default: ${DEFAULT-VALUE}")
    @Setting("proxy.profiles.tag-key")
    String tagKey;

    @Option(names = "--dry-run", description = "show the plan, change nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    private final CommandEnvironment environment;

    AlarmsCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    /** An alarm a tenant should have, with the tags it is created with. */
    private record Wanted(AlarmThresholds.Threshold threshold, AlarmSpec spec, Map<String, String> tags) {
    }

    @Override
    public Integer call() {
        AlarmThresholds thresholds = thresholds();
        // alarms need no signing secrets: secretEnv references need not resolve here
        Tenants tenants = tenantMetrics.tenants();
        try (CloudWatchAsyncClient cloudWatch = cloudWatchOptions.client(environment.credentials().get())) {
            return apply(tenants, thresholds, cloudWatch, spec.commandLine().getOut());
        }
    }

    private int apply(Tenants tenants, AlarmThresholds thresholds, CloudWatchAsyncClient cloudWatch, PrintWriter out) {
        // only this command's alarms: their names start with the prefix
        Map<String, AlarmSpec> existing = new ConcurrentHashMap<>();
        cloudWatch.describeAlarmsPaginator(r -> r.alarmNamePrefix(namePrefix + "-")).metricAlarms()
                .subscribe(a -> existing.put(a.alarmName(), AlarmSpec.of(a))).join();

        Table table = new Table("TENANT", "ALARM", "ACTION", "THRESHOLD", "NAME");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Tenant tenant : tenants.all().stream().sorted(Comparator.comparing(Tenant::id)).toList()) {
            for (AlarmKind kind : AlarmKind.values()) {
                Optional<AlarmThresholds.Threshold> threshold = thresholds.of(tenant, kind);
                if (threshold.isEmpty()) {
                    table.row(tenant.id(), kind.id, "skipped", "-", "(" + AlarmThresholds.missing(kind) + ")");
                    continue;
                }
                Wanted wanted = wanted(tenant, kind, threshold.get());
                String action;
                String name = wanted.spec().name();
                try {
                    action = putIfDifferent(wanted, existing.get(name), cloudWatch);
                } catch (RuntimeException e) {
                    action = "failed";
                    name = name + ": " + FailureReason.of(e);
                }
                counts.merge(action, 1, Integer::sum);
                table.row(tenant.id(), kind.id, action, wanted.threshold().plain() + " (" + wanted.threshold().source() + ")", name);
            }
        }
        table.print(out);
        if (dryRun) {
            out.println("dry run: nothing changed; " + counts.getOrDefault("planned", 0) + " alarm(s) would be created, "
                    + counts.getOrDefault("outdated", 0) + " updated");
        } else {
            out.println(counts.getOrDefault("created", 0) + " alarm(s) created, " + counts.getOrDefault("updated", 0)
                    + " updated, " + counts.getOrDefault("existing", 0) + " already as wanted");
        }
        return counts.containsKey("failed") ? 1 : 0;
    }

    /** @return the table's action: what was (or, in a dry run, would be) done */
    private String putIfDifferent(Wanted wanted, AlarmSpec found, CloudWatchAsyncClient cloudWatch) {
        if (wanted.spec().equals(found)) {
            return "existing";
        }
        if (dryRun) {
            return found == null ? "planned" : "outdated";
        }
        cloudWatch.putMetricAlarm(wanted.spec().request(wanted.tags())).join();
        return found == null ? "created" : "updated";
    }

    private Wanted wanted(Tenant tenant, AlarmKind kind, AlarmThresholds.Threshold threshold) {
        String description = "Bedrock Tenant Proxy, tenant " + tenant.id() + ": " + kind.what + " over all models at "
                + threshold.plain() + " or more (" + threshold.source() + ")";
        AlarmSpec spec = AlarmSpec.of(namePrefix + "-" + tenant.id() + "-" + kind.id, description,
                kind.queries(tenantMetrics.namespace(), tenant.id()), threshold.value().doubleValue(), snsTopicArn);
        Map<String, String> tags = new LinkedHashMap<>(tenant.tags());
        tags.put(tagKey, ProfileRequest.tenantTagOf(tenant, tagKey));
        return new Wanted(threshold, spec, tags);
    }

    /** @throws ParameterException for a missing topic or a threshold that is not positive: exit 2 */
    private AlarmThresholds thresholds() {
        if (snsTopicArn == null || !snsTopicArn.startsWith("arn:")) {
            throw new ParameterException(spec.commandLine(), snsTopicArn == null
                    ? "no SNS topic: give --sns-topic-arn ARN or set proxy.notify.sns-topic-arn"
                    : "--sns-topic-arn: '" + snsTopicArn + "' is not an ARN");
        }
        positive("--ratio", ratio);
        positive("--budget-share", budgetShare);
        positive("--requests-per-minute", requestsPerMinute);
        positive("--tokens-per-minute", tokensPerMinute);
        positive("--cost-per-5m", costPer5m);
        return new AlarmThresholds(ratio, budgetShare, Optional.ofNullable(requestsPerMinute),
                Optional.ofNullable(tokensPerMinute), Optional.ofNullable(costPer5m));
    }

    private void positive(String option, BigDecimal value) {
        if (value != null && value.signum() <= 0) {
            throw new ParameterException(spec.commandLine(), option + " must be more than 0, not " + value.toPlainString());
        }
    }
}
