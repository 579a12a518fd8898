package dev.bedrocktenant.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.Tenants;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.DashboardNotFoundErrorException;
import software.amazon.awssdk.services.cloudwatch.model.DashboardValidationMessage;
import software.amazon.awssdk.services.cloudwatch.model.PutDashboardResponse;

/**
 * {@code dashboards}: every tenant gets a CloudWatch dashboard of its own, and the fleet one more (see
 * {@link DashboardBodies}). Gets each dashboard before it puts, and puts only what is missing or differs, so a
 * second run changes nothing.
 * <p>
 * One dashboard per tenant rather than one with a tenant variable: a dashboard is what IAM and the console's
 * sharing grant access to, so a tenant's team can be given its own dashboard and no other tenant's; a variable
 * would show every tenant to anyone who can open it. Operators get the fleet dashboard to compare tenants.
 */
@Command(name = "dashboards", description = {
        "Gives every tenant a CloudWatch dashboard of the proxy's metrics: estimated cost, requests, tokens,",
        "latency, throttles and errors, by model; and one for all tenants: the top tenants and models.",
        "Puts only what is missing or differs."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done", "1:a dashboard or CloudWatch failed", "2:a wrong command line"})
@RegisterForReflection
final class DashboardsCommand implements Callable<Integer> {

    /** The TENANT of the fleet dashboard's row. */
    static final String ALL_TENANTS = "(all)";

    @Mixin
    TenantMetricsOptions tenantMetrics;

    /** The Region is also the one the widgets read: dashboards themselves are global to the account. */
    @Mixin
    CloudWatchOptions cloudWatchOptions;

    @Option(names = "--name-prefix", paramLabel = "PREFIX", defaultValue = "btp",
            description = "dashboards are named PREFIX-tenant-TENANT and PREFIX-fleet (proxy.profiles.name-prefix); default: ${DEFAULT-VALUE}")
    @Setting("proxy.profiles.name-prefix")
    String namePrefix;

    @Option(names = "--dry-run", description = "show the plan, change nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    private final CommandEnvironment environment;

    DashboardsCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    /** A dashboard that should exist, with the body it should have. */
    private record Wanted(String tenant, DashboardName name, ObjectNode body) {
    }

    @Override
    public Integer call() {
        // dashboards need no signing secrets: secretEnv references need not resolve here
        Tenants tenants = tenantMetrics.tenants();
        try (CloudWatchAsyncClient cloudWatch = cloudWatchOptions.client(environment.credentials().get())) {
            return apply(wanted(tenants), cloudWatch, spec.commandLine().getOut());
        }
    }

    private List<Wanted> wanted(Tenants tenants) {
        DashboardBodies bodies = new DashboardBodies(tenantMetrics.namespace(), cloudWatchOptions.region());
        List<Wanted> wanted = new ArrayList<>();
        for (Tenant tenant : tenants.all().stream().sorted(Comparator.comparing(Tenant::id)).toList()) {
            wanted.add(new Wanted(tenant.id(), DashboardName.of(namePrefix + "-tenant-" + tenant.id()), bodies.tenant(tenant.id())));
        }
        wanted.add(new Wanted(ALL_TENANTS, DashboardName.of(namePrefix + "-fleet"), bodies.fleet()));
        return wanted;
    }

    private int apply(List<Wanted> wanted, CloudWatchAsyncClient cloudWatch, PrintWriter out) {
        Table table = new Table("TENANT", "DASHBOARD", "ACTION", "NOTE");
        Map<String, Integer> counts = new LinkedHashMap<>();
        int warned = 0;
        for (Wanted w : wanted) {
            List<String> notes = new ArrayList<>();
            w.name().change().ifPresent(notes::add);
            String action;
            try {
                Optional<String> over = DashboardBodies.overLimits(w.body());
                if (over.isPresent()) {
                    throw new IllegalStateException("not put: " + over.get());
                }
                List<String> warnings = new ArrayList<>();
                action = putIfDifferent(w, cloudWatch, warnings);
                warned += warnings.isEmpty() ? 0 : 1;
                notes.addAll(warnings);
            } catch (RuntimeException e) {
                action = "failed";
                notes.add(FailureReason.of(e));
            }
            counts.merge(action, 1, Integer::sum);
            table.row(w.tenant(), w.name().value(), action, notes.isEmpty() ? "-" : String.join("; ", notes));
        }
        table.print(out);
        if (dryRun) {
            out.println("dry run: nothing changed; " + counts.getOrDefault("planned", 0) + " dashboard(s) would be created, "
                    + counts.getOrDefault("outdated", 0) + " updated");
        } else {
            out.println(counts.getOrDefault("created", 0) + " dashboard(s) created, " + counts.getOrDefault("updated", 0)
                    + " updated, " + counts.getOrDefault("existing", 0) + " already as wanted"
                    + (warned > 0 ? "; " + warned + " with warnings from CloudWatch" : ""));
        }
        return counts.containsKey("failed") || warned > 0 ? 1 : 0;
    }

    /**
     * @param warnings gets what CloudWatch says about a body it took all the same (a widget it cannot draw)
     * @return the table's action: what was (or, in a dry run, would be) done
     */
    private String putIfDifferent(Wanted wanted, CloudWatchAsyncClient cloudWatch, List<String> warnings) {
        Optional<JsonNode> found = current(wanted.name().value(), cloudWatch);
        if (found.isPresent() && found.get().equals(wanted.body())) {
            return "existing";
        }
        if (dryRun) {
            return found.isEmpty() ? "planned" : "outdated";
        }
        PutDashboardResponse response = cloudWatch.putDashboard(r -> r.dashboardName(wanted.name().value())
                .dashboardBody(DashboardBodies.text(wanted.body()))).join();
        if (response.hasDashboardValidationMessages()) {
            response.dashboardValidationMessages().stream().map(DashboardsCommand::warning).forEach(warnings::add);
        }
        return found.isEmpty() ? "created" : "updated";
    }

    /** @return the dashboard's body as CloudWatch has it; empty when there is no such dashboard */
    private static Optional<JsonNode> current(String name, CloudWatchAsyncClient cloudWatch) {
        try {
            String body = cloudWatch.getDashboard(r -> r.dashboardName(name)).join().dashboardBody();
            // a body that is not JSON cannot be ours: it differs, and is replaced
            return Optional.of(DashboardBodies.parse(body).orElse(MissingNode.getInstance()));
        } catch (CompletionException e) {
            if (e.getCause() instanceof DashboardNotFoundErrorException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static String warning(DashboardValidationMessage m) {
        return "CloudWatch warns: " + Optional.ofNullable(m.dataPath()).map(p -> p + ": ").orElse("") + m.message();
    }
}
