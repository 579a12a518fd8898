package dev.bedrocktenant.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import dev.bedrocktenant.profile.DiscoveredProfile;
import dev.bedrocktenant.profile.ProfileDiscovery;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.model.GetInferenceProfileResponse;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModel;
import software.amazon.awssdk.services.bedrock.model.Tag;

/** {@code profiles list [--tenant T] | get <arn|id> | tag <arn> K=V… | delete <arn>}. */
@Command(name = "profiles", description = "The account's inference profiles: list, get, tag, delete.",
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done", "1:the call failed", "2:a wrong command line"})
@RegisterForReflection
final class ProfilesCommand {

    @Mixin
    ControlPlaneOptions controlPlane;

    @Spec
    CommandSpec spec;

    private final CommandEnvironment environment;

    ProfilesCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Command(name = "list", description = "The application inference profiles, with the tenant each is tagged for.")
    int list(@Option(names = "--tenant", paramLabel = "TENANT", description = "only this tenant's") String tenant) {
        try (BedrockAsyncClient bedrock = client()) {
            Table table = new Table("TENANT", "MODEL", "NAME", "PROFILE ARN");
            for (DiscoveredProfile p : new ProfileDiscovery(bedrock).scan(profile -> true).join()) {
                String owner = p.tags().getOrDefault(controlPlane.tagKey, "-");
                if (tenant == null || tenant.equals(owner)) {
                    table.row(owner, p.baseModelId().orElse("-"), p.name(), p.arn());
                }
            }
            table.print(out());
            out().println(table.size() + " application inference profile(s)"
                    + (tenant == null ? "" : " tagged " + controlPlane.tagKey + "=" + tenant));
            return 0;
        }
    }

    @Command(name = "get", description = "One profile: its models, status and tags.")
    int get(@Parameters(paramLabel = "ARN|ID") String identifier) {
        try (BedrockAsyncClient bedrock = client()) {
            GetInferenceProfileResponse p = bedrock.getInferenceProfile(r -> r.inferenceProfileIdentifier(identifier)).join();
            PrintWriter out = out();
            out.println("name:    " + p.inferenceProfileName());
            out.println("arn:     " + p.inferenceProfileArn());
            out.println("type:    " + p.typeAsString());
            out.println("status:  " + p.statusAsString());
            out.println("models:  " + String.join(", ", p.models().stream().map(InferenceProfileModel::modelArn).toList()));
            if ("APPLICATION".equals(p.typeAsString())) {
                Map<String, String> tags = new ProfileDiscovery(bedrock).tagsOf(p.inferenceProfileArn()).join();
                out.println("tags:    " + String.join(", ", tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(t -> t.getKey() + "=" + t.getValue()).toList()));
            }
            return 0;
        }
    }

    @Command(name = "tag", description = "Adds tags to a profile, or changes them.")
    int tag(@Parameters(paramLabel = "ARN") String arn, @Parameters(paramLabel = "Key=Value", arity = "1..*") List<String> pairs) {
        List<Tag> tags = pairs.stream().map(this::tagOf).toList();
        try (BedrockAsyncClient bedrock = client()) {
            bedrock.tagResource(r -> r.resourceARN(arn).tags(tags)).join();
            out().println("tagged " + arn + ": " + String.join(", ", pairs));
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes an application inference profile.")
    int delete(@Parameters(paramLabel = "ARN") String arn) {
        try (BedrockAsyncClient bedrock = client()) {
            bedrock.deleteInferenceProfile(r -> r.inferenceProfileIdentifier(arn)).join();
            out().println("deleted " + arn);
            return 0;
        }
    }

    private BedrockAsyncClient client() {
        return controlPlane.client(environment.credentials().get());
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** {@code Key=Value}: the value may be empty, the key may not. */
    private Tag tagOf(String pair) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
            throw new ParameterException(spec.subcommands().get("tag"), "'" + pair + "' is not Key=Value");
        }
        return Tag.builder().key(pair.substring(0, eq)).value(pair.substring(eq + 1)).build();
    }
}
