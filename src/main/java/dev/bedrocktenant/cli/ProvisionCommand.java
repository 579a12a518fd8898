package dev.bedrocktenant.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.bedrocktenant.profile.DiscoveredProfile;
import dev.bedrocktenant.profile.ModelId;
import dev.bedrocktenant.profile.ProfileCreator;
import dev.bedrocktenant.profile.ProfileDiscovery;
import dev.bedrocktenant.profile.ProfileKey;
import dev.bedrocktenant.profile.ProfileRequest;
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
    private final String tagKey;
    private final PrintStream out;
    private final PrintStream err;

    ProvisionCommand(BedrockAsyncClient bedrock, ProfileDiscovery discovery, String region, String tagKey, String namePrefix,
                     PrintStream out, PrintStream err) {
        this.bedrock = bedrock;
        this.discovery = discovery;
        this.creator = new ProfileCreator(bedrock, discovery, region, namePrefix);
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

        List<ProfileRequest> wanted = new ArrayList<>();
        Table table = new Table("TENANT", "MODEL", "ACTION", "NAME", "PROFILE ARN");
        for (Tenant tenant : tenants.all().stream().sorted(java.util.Comparator.comparing(Tenant::id)).toList()) {
            // a tenant limited to allowedModels gets profiles for exactly those; --models serves the others
            Set<String> models = new LinkedHashSet<>(tenant.allowedModels().<List<String>>map(a -> a.stream().sorted().toList())
                    .orElse(extraModels));
            for (String model : models) {
                ModelId id = ModelId.parse(model);
                Optional<String> inFile = Optional.ofNullable(tenant.profiles().get(model))
                        .or(() -> id.baseModelId().map(tenant.profiles()::get));
                if (inFile.isPresent()) {
                    table.row(tenant.id(), model, "in-file", "-", inFile.get());
                } else if (id.baseModelId().isEmpty()) {
                    table.row(tenant.id(), model, "skipped", "-", "(no base model: name a foundation model or system profile)");
                } else {
                    wanted.add(ProfileRequest.of(tenant, tagKey, id, id.baseModelId().get()));
                }
            }
        }

        Map<ProfileKey, DiscoveredProfile> existing = new HashMap<>();
        Set<String> models = new java.util.HashSet<>();
        wanted.forEach(w -> models.add(w.baseModelId()));
        discovery.scan(p -> p.baseModelId().filter(models::contains).isPresent()).join()
                .forEach(p -> p.key(tagKey).ifPresent(k -> existing.putIfAbsent(k, p)));

        Map<String, Map<String, String>> writeBack = new LinkedHashMap<>();
        boolean failed = false;
        for (ProfileRequest request : wanted) {
            String model = request.requested().raw();
            DiscoveredProfile found = existing.get(request.key());
            try {
                if (found != null) {
                    table.row(request.tenantId(), model, "existing", found.name(), found.arn());
                } else if (dryRun) {
                    table.row(request.tenantId(), model, "planned", creator.nameOf(request), "-");
                    continue;
                } else {
                    found = creator.create(request).join();
                    existing.put(request.key(), found);
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
            out.println("dry run: nothing created; " + wanted.stream().filter(w -> !existing.containsKey(w.key())).count()
                    + " profile(s) would be created");
        } else if (options.flag("--write-back") && !writeBack.isEmpty()) {
            TenantsWriteBack.write(path, writeBack);
            out.println("wrote " + writeBack.values().stream().mapToInt(Map::size).sum() + " profile ARN(s) into " + path
                    + " (previous version kept as " + path.getFileName() + ".bak)");
        }
        return failed ? 1 : 0;
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
