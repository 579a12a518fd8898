package dev.bedrocktenant.cli;

import java.io.PrintStream;
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
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

/**
 * {@code provision --tenants tenants.yaml [--models m1,m2] [--dry-run] [--write-back]}: every tenant gets
 * a profile for each model it asks for — its {@code allowedModels}, else {@code --models} — unless its
 * {@code profiles} map already has one. Finds before it creates; prints one line per tenant and model.
 */
final class ProvisionCommand {

    private final BedrockAsyncClient bedrock;
    private final ProfileDiscovery discovery;
    private final ProfileCreator creator;
    private final String region;
    private final String tagKey;
    private final PrintStream out;
    private final PrintStream err;

    ProvisionCommand(BedrockAsyncClient bedrock, ProfileDiscovery discovery, String region, String tagKey, String namePrefix,
                     PrintStream out, PrintStream err) {
        this.bedrock = bedrock;
        this.discovery = discovery;
        this.creator = new ProfileCreator(bedrock, discovery, region, namePrefix);
        this.region = region;
        this.tagKey = tagKey;
        this.out = out;
        this.err = err;
    }

    int run(CliOptions options) {
        Optional<String> file = options.value("--tenants");
        if (file.isEmpty()) {
            err.println("error: provision needs --tenants <file>");
            return 2;
        }
        Path path = Path.of(file.get());
        // provisioning needs no signing secrets: secretEnv references need not resolve here
        Tenants tenants = new TenantsFile(name -> Optional.of("not-needed-to-provision")).read(path);
        List<String> extraModels = options.value("--models").map(m -> Arrays.stream(m.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList()).orElse(List.of());
        boolean dryRun = options.flag("--dry-run");

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

        Map<String, Map<String, String>> writeBack = new LinkedHashMap<>();
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
                writeBack.computeIfAbsent(request.tenantId(), t -> new LinkedHashMap<>()).put(model, found.arn());
            } catch (RuntimeException e) {
                failed = true;
                table.row(request.tenantId(), model, "failed", creator.nameOf(request), reason(e));
            }
        }
        table.print(out);
        if (dryRun) {
            out.println("dry run: nothing created; " + wanted.stream().filter(w -> !existing.containsKey(w)).count()
                    + " profile(s) would be created");
        } else if (options.flag("--write-back") && !writeBack.isEmpty()) {
            TenantsWriteBack.write(path, writeBack);
            out.println("wrote " + writeBack.values().stream().mapToInt(Map::size).sum() + " profile ARN(s) into " + path
                    + " (previous version kept as " + path.getFileName() + ".bak)");
        }
        return failed ? 1 : 0;
    }

    /** The models a tenant asks for: its {@code allowedModels}, else {@code --models}. */
    private static Set<String> modelsOf(Tenant tenant, List<String> extraModels) {
        return new LinkedHashSet<>(tenant.allowedModels().<List<String>>map(a -> a.stream().sorted().toList()).orElse(extraModels));
    }

    /** The AWS error code and message, else the exception's own. */
    static String reason(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
