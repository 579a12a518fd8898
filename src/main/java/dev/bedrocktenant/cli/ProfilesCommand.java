package dev.bedrocktenant.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.profile.DiscoveredProfile;
import dev.bedrocktenant.profile.ProfileDiscovery;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.model.GetInferenceProfileResponse;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModel;
import software.amazon.awssdk.services.bedrock.model.Tag;

/** {@code profiles list [--tenant T] | get <arn|id> | tag <arn> K=V… | delete <arn>}. */
final class ProfilesCommand {

    private final BedrockAsyncClient bedrock;
    private final ProfileDiscovery discovery;
    private final String tagKey;
    private final PrintStream out;
    private final PrintStream err;

    ProfilesCommand(BedrockAsyncClient bedrock, ProfileDiscovery discovery, String tagKey, PrintStream out, PrintStream err) {
        this.bedrock = bedrock;
        this.discovery = discovery;
        this.tagKey = tagKey;
        this.out = out;
        this.err = err;
    }

    /** Empty for an unknown sub-command. */
    Optional<Integer> run(CliOptions options) {
        List<String> words = options.words();
        String action = words.size() > 1 ? words.get(1) : "";
        List<String> rest = words.size() > 2 ? words.subList(2, words.size()) : List.of();
        return switch (action) {
            case "list" -> Optional.of(list(options.value("--tenant")));
            case "get" -> Optional.of(rest.size() == 1 ? get(rest.get(0)) : usage("profiles get <arn|id>"));
            case "tag" -> Optional.of(rest.size() >= 2 ? tag(rest.get(0), rest.subList(1, rest.size())) : usage("profiles tag <arn> Key=Value..."));
            case "delete" -> Optional.of(rest.size() == 1 ? delete(rest.get(0)) : usage("profiles delete <arn>"));
            default -> Optional.empty();
        };
    }

    private int list(Optional<String> tenant) {
        Table table = new Table("TENANT", "MODEL", "NAME", "PROFILE ARN");
        for (DiscoveredProfile p : discovery.scan(profile -> true).join()) {
            String owner = p.tags().getOrDefault(tagKey, "-");
            if (tenant.isEmpty() || tenant.get().equals(owner)) {
                table.row(owner, p.baseModelId().orElse("-"), p.name(), p.arn());
            }
        }
        table.print(out);
        out.println(table.size() + " application inference profile(s)" + tenant.map(t -> " tagged " + tagKey + "=" + t).orElse(""));
        return 0;
    }

    private int get(String identifier) {
        GetInferenceProfileResponse p = bedrock.getInferenceProfile(r -> r.inferenceProfileIdentifier(identifier)).join();
        out.println("name:    " + p.inferenceProfileName());
        out.println("arn:     " + p.inferenceProfileArn());
        out.println("type:    " + p.typeAsString());
        out.println("status:  " + p.statusAsString());
        out.println("models:  " + String.join(", ", p.models().stream().map(InferenceProfileModel::modelArn).toList()));
        if ("APPLICATION".equals(p.typeAsString())) {
            Map<String, String> tags = discovery.tagsOf(p.inferenceProfileArn()).join();
            out.println("tags:    " + String.join(", ", tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(t -> t.getKey() + "=" + t.getValue()).toList()));
        }
        return 0;
    }

    private int tag(String arn, List<String> pairs) {
        List<Tag> tags = new ArrayList<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                return usage("profiles tag <arn> Key=Value... ('" + pair + "' has no Key=)");
            }
            tags.add(Tag.builder().key(pair.substring(0, eq)).value(pair.substring(eq + 1)).build());
        }
        bedrock.tagResource(r -> r.resourceARN(arn).tags(tags)).join();
        out.println("tagged " + arn + ": " + String.join(", ", pairs));
        return 0;
    }

    private int delete(String arn) {
        bedrock.deleteInferenceProfile(r -> r.inferenceProfileIdentifier(arn)).join();
        out.println("deleted " + arn);
        return 0;
    }

    private int usage(String line) {
        err.println("usage: " + line);
        return 2;
    }
}
