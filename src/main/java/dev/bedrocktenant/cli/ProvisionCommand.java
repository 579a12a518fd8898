package dev.bedrocktenant.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.bedrocktenant.profile.DiscoveredProfile;
import dev.bedrocktenant.profile.ModelId;
import dev.bedrocktenant.profile.ProfileChoice;
import dev.bedrocktenant.profile.ProfileCreator;
import dev.bedrocktenant.profile.ProfileDiscovery;
import dev.bedrocktenant.profile.ProfileKey;
import dev.bedrocktenant.profile.ProfileRequest;
import dev.bedrocktenant.profile.Routing;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.Tenants;
import dev.bedrocktenant.tenant.TenantsFile;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

/**
 * {@code provision}: every tenant gets a profile for each model it asks for — its {@code allowedModels}, else
 * {@code --models} — unless its {@code profiles} map already has one. Finds before it creates; prints one
 * line per tenant and model.
 */
@Command(name = "provision", description = {
        "Gives every tenant a profile for each model in its allowedModels (else --models) that its",
        "profiles map does not already cover; finds before it creates."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done", "1:a profile failed", "2:a wrong command line"})
@RegisterForReflection
final class ProvisionCommand implements Callable<Integer> {

    @Mixin
    ControlPlaneOptions controlPlane;

    @Option(names = "--tenants", paramLabel = "FILE", required = true, description = "the tenants file")
    String tenantsFile;

    @Option(names = "--models", paramLabel = "M1,M2", description = "the models of a tenant without allowedModels")
    String models;

    @Option(names = "--dry-run", description = "show the plan, create nothing")
    boolean dryRun;

    @Option(names = "--write-back", description = "write the ARNs into the tenants' profiles maps (old file: FILE.bak)")
    boolean writeBack;

    @Spec
    CommandSpec spec;

    private final CommandEnvironment environment;

    ProvisionCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        try (BedrockAsyncClient bedrock = controlPlane.client(environment.credentials().get())) {
            ProfileDiscovery discovery = new ProfileDiscovery(bedrock);
            return provision(discovery, new ProfileCreator(bedrock, discovery, controlPlane.region, controlPlane.namePrefix),
                    spec.commandLine().getOut());
        }
    }

    private int provision(ProfileDiscovery discovery, ProfileCreator creator, PrintWriter out) {
        Path path = Path.of(tenantsFile);
        String region = controlPlane.region;
        String tagKey = controlPlane.tagKey;
        // provisioning needs no signing secrets: secretEnv references need not resolve here
        Tenants tenants = new TenantsFile(name -> Optional.of("not-needed-to-provision")).read(path);
        List<String> extraModels = Optional.ofNullable(models).map(m -> Arrays.stream(m.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList()).orElse(List.of());

        // every profile of the account (its Regions decide what a tenants-file mapping may serve), tags of the
        // asked-for models' profiles only
        Set<String> baseModels = new HashSet<>();
        tenants.all().forEach(t -> modelsOf(t, extraModels).forEach(m -> ModelId.parse(m).baseModelId().ifPresent(baseModels::add)));
        List<DiscoveredProfile> account = discovery.scan(p -> p.baseModelId().filter(baseModels::contains).isPresent()).join();
        Map<String, DiscoveredProfile> byArn = new HashMap<>();
        Map<ProfileKey, List<DiscoveredProfile>> tagged = new HashMap<>();
        account.forEach(p -> {
            byArn.put(p.arn(), p);
            p.key(tagKey).ifPresent(k -> tagged.computeIfAbsent(k, x -> new ArrayList<>()).add(p));
        });

        List<ProfileRequest> wanted = new ArrayList<>();
        Table table = new Table("TENANT", "MODEL", "ACTION", "NAME", "PROFILE ARN");
        for (Tenant tenant : tenants.all().stream().sorted(java.util.Comparator.comparing(Tenant::id)).toList()) {
            for (String model : modelsOf(tenant, extraModels)) {
                ModelId id = ModelId.parse(model);
                Optional<String> inFile = Optional.ofNullable(tenant.profiles().get(model))
                        .or(() -> id.baseModelId().map(tenant.profiles()::get));
                Routing routing = Routing.requestedBy(id, region);
                boolean fileFits = inFile.flatMap(a -> Optional.ofNullable(byArn.get(a))).map(p -> p.serves(routing)).orElse(true);
                if (inFile.isPresent() && fileFits) {
                    table.row(tenant.id(), model, "in-file", "-", inFile.get());
                } else if (id.baseModelId().isEmpty()) {
                    table.row(tenant.id(), model, "skipped", "-", "(no base model: name a foundation model or system profile)");
                } else {
                    wanted.add(ProfileRequest.of(tenant, tagKey, id, id.baseModelId().get(), region));
                }
            }
        }

        Map<ProfileRequest, DiscoveredProfile> existing = new HashMap<>();
        wanted.forEach(w -> ProfileChoice.best(tagged.getOrDefault(w.key(), List.of()), p -> p, w.routing())
                .ifPresent(p -> existing.put(w, p)));

        Map<String, Map<String, String>> arns = new LinkedHashMap<>();
        boolean failed = false;
        for (ProfileRequest request : wanted) {
            String model = request.requested().raw();
            DiscoveredProfile found = existing.get(request);
            try {
                if (found != null) {
                    table.row(request.tenantId(), model, "existing", found.name(), found.arn());
                } else if (dryRun) {
                    table.row(request.tenantId(), model, "planned", creator.nameOf(request), "-");
                    continue;
                } else {
                    found = creator.create(request).join();
                    existing.put(request, found);
                    table.row(request.tenantId(), model, "created", found.name(), found.arn());
                }
                arns.computeIfAbsent(request.tenantId(), t -> new LinkedHashMap<>()).put(model, found.arn());
            } catch (RuntimeException e) {
                failed = true;
                table.row(request.tenantId(), model, "failed", creator.nameOf(request), FailureReason.of(e));
            }
        }
        table.print(out);
        if (dryRun) {
            out.println("dry run: nothing created; " + wanted.stream().filter(w -> !existing.containsKey(w)).count()
                    + " profile(s) would be created");
        } else if (writeBack && !arns.isEmpty()) {
            TenantsWriteBack.write(path, arns);
            out.println("wrote " + arns.values().stream().mapToInt(Map::size).sum() + " profile ARN(s) into " + path
                    + " (previous version kept as " + path.getFileName() + ".bak)");
        }
        return failed ? 1 : 0;
    }

    /** The models a tenant asks for: its {@code allowedModels}, else {@code --models}. */
    private static Set<String> modelsOf(Tenant tenant, List<String> extraModels) {
        return new LinkedHashSet<>(tenant.allowedModels().<List<String>>map(a -> a.stream().sorted().toList()).orElse(extraModels));
    }
}
