package dev.bedrocktenant.tenant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bedrocktenant.wire.BedrockHeaders;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads the tenants file (docs/reference.md §5): YAML, hence JSON too. The file is taken whole or not at all;
 * the first problem found is reported with the tenant and field it concerns.
 */
public final class TenantsFile {

    /**
     * The largest file read, in characters: SnakeYAML's own default (3 Mi) refused a file of about 5,000 tenants
     * with tags, keys and profiles; this takes about 100,000, and still stops a runaway file from filling the heap.
     */
    static final int MAX_CHARACTERS = 64 * 1024 * 1024;

    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder().loaderOptions(loaderOptions()).build())
            // a tenant or key written twice is a mistake, not "the last one wins"
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // budgets are money: keep 10.10 as written, never via double
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CHARACTERS);
        return options;
    }

    /** Environment variable first, then a system property of the same name (handy in tests and -D). */
    public static final Function<String, Optional<String>> ENVIRONMENT = name -> Optional.ofNullable(System.getenv(name))
            .or(() -> Optional.ofNullable(System.getProperty(name)))
            .filter(v -> !v.isEmpty());

    private final Function<String, Optional<String>> secrets;

    /** @param secrets looks up the signing secret a tenant's {@code secretEnv} names */
    public TenantsFile(Function<String, Optional<String>> secrets) {
        this.secrets = secrets;
    }

    public TenantsFile() {
        this(ENVIRONMENT);
    }

    /** @throws InvalidTenantsFile naming the file, also when it cannot be read */
    public Tenants read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidTenantsFile("tenants file " + file + " cannot be read: " + e);
        }
        try {
            return parse(text);
        } catch (InvalidTenantsFile e) {
            throw new InvalidTenantsFile("tenants file " + file + ": " + e.getMessage());
        }
    }

    public Tenants parse(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new InvalidTenantsFile("not valid YAML" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            // a half-written file reads as empty: refuse it rather than drop every tenant
            throw new InvalidTenantsFile("the file is empty (write 'tenants: {}' for no tenants)");
        }
        YamlSection file = new YamlSection(root, "top level");
        file.allowOnly(Set.of("tiers", "tenants"));
        Map<String, Tier> tiers = new LinkedHashMap<>();
        file.section("tiers").ifPresent(section -> section.entries().forEach((name, node) -> tiers.put(name, tier(name, node))));
        YamlSection tenants = file.section("tenants").orElseThrow(() -> file.fail("has no 'tenants' mapping"));
        List<Tenant> parsed = new ArrayList<>();
        tenants.entries().forEach((id, section) -> parsed.add(tenant(id, section, tiers)));
        return Tenants.of(parsed);
    }

    /** A named template of limits, budget, enforce and service tier that tenants start from ({@code tier: <name>}). */
    private record Tier(Optional<Tenant.RateLimits> limits, Optional<Tenant.Budget> budget, Optional<Boolean> enforce,
                        Optional<ServiceTierPolicy> serviceTier) {
    }

    private static Tier tier(String name, JsonNode node) {
        YamlSection t = new YamlSection(node.isNull() ? YAML.createObjectNode() : node, "tier " + name);
        t.allowOnly(Set.of("limits", "budget", "enforce", "serviceTier"));
        return new Tier(limits(t), budget(t), t.bool("enforce"), serviceTier(t));
    }

    private Tenant tenant(String id, JsonNode node, Map<String, Tier> tiers) {
        if (!TenantIds.isValid(id)) {
            throw new InvalidTenantsFile("tenant '" + id + "': " + TenantIds.RULE);
        }
        YamlSection t = new YamlSection(node.isNull() ? YAML.createObjectNode() : node, "tenant " + id);
        t.allowOnly(Set.of("tags", "accessKeys", "apiKeys", "profiles", "allowedModels", "tier", "limits", "budget", "enforce",
                "serviceTier", "role"));
        Optional<String> tierName = t.string("tier");
        Tier tier = tierName.map(name -> Optional.ofNullable(tiers.get(name)).orElseThrow(() -> new InvalidTenantsFile(
                t.at("tier") + ": no tier '" + name + "' under tiers (" + String.join(", ", tiers.keySet()) + ")")))
                .orElse(new Tier(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        return new Tenant(id, tags(t), TenantKeys.accessKeys(t, secrets), TenantKeys.apiKeys(t), profiles(t),
                allowedModels(t), tierName, overlay(limits(t), tier.limits(), Tenant.RateLimits::over),
                overlay(budget(t), tier.budget(), Tenant.Budget::over),
                t.bool("enforce").or(tier::enforce).orElse(true),
                serviceTier(t).or(tier::serviceTier).orElse(ServiceTierPolicy.PASS), role(t));
    }

    private static Optional<Tenant.Role> role(YamlSection t) {
        return t.section("role").map(r -> {
            r.allowOnly(Set.of("arn", "externalId", "sessionTags"));
            String arn = r.string("arn").orElseThrow(() -> r.fail("has no 'arn'"));
            if (!ROLE_ARN.matcher(arn).matches()) {
                throw new InvalidTenantsFile(r.at("arn") + ": '" + arn + "' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
            }
            return new Tenant.Role(arn, r.string("externalId"), Map.copyOf(r.stringMap("sessionTags")));
        });
    }

    /** The tenant's own section over its tier's, field by field; either alone as it is. */
    private static <T> Optional<T> overlay(Optional<T> own, Optional<T> tier, BinaryOperator<T> over) {
        if (own.isPresent() && tier.isPresent()) {
            return Optional.of(over.apply(own.get(), tier.get()));
        }
        return own.or(() -> tier);
    }

    private static Map<String, String> tags(YamlSection t) {
        Map<String, String> tags = t.stringMap("tags");
        Map<String, String> lowerCase = new java.util.HashMap<>();
        for (String key : tags.keySet()) {
            // tag headers arrive lower-cased over HTTP/2, so keys differing only in case would collide
            String other = lowerCase.put(key.toLowerCase(java.util.Locale.ROOT), key);
            if (other != null) {
                throw t.fail("tags " + other + " and " + key + " differ only in case; tag keys are matched case-insensitively");
            }
        }
        return Map.copyOf(tags);
    }

    private static Map<String, String> profiles(YamlSection t) {
        Map<String, String> profiles = t.stringMap("profiles");
        profiles.forEach((model, arn) -> {
            if (!ProfileArns.isBedrockArn(arn)) {
                throw new InvalidTenantsFile(t.at("profiles") + "." + model + ": '" + arn
                        + "' is not a Bedrock ARN (arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>)");
            }
        });
        return Map.copyOf(profiles);
    }

    private static Optional<Set<String>> allowedModels(YamlSection t) {
        if (t.get("allowedModels").isEmpty()) {
            return Optional.empty();
        }
        List<JsonNode> items = t.list("allowedModels");
        List<String> models = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            models.add(YamlSection.scalar(items.get(i), t.at("allowedModels") + "[" + i + "]"));
        }
        return Optional.of(Set.copyOf(models));
    }

    private static Optional<Tenant.RateLimits> limits(YamlSection t) {
        return t.section("limits").map(l -> {
            l.allowOnly(Set.of("requestsPerMinute", "tokensPerMinute", "maxConcurrent"));
            return new Tenant.RateLimits(l.positiveLong("requestsPerMinute"), l.positiveLong("tokensPerMinute"),
                    l.positiveLong("maxConcurrent"));
        });
    }

    private static Optional<Tenant.Budget> budget(YamlSection t) {
        return t.section("budget").map(b -> {
            b.allowOnly(Set.of("dailyUsd", "monthlyUsd"));
            return new Tenant.Budget(b.nonNegativeDecimal("dailyUsd"), b.nonNegativeDecimal("monthlyUsd"));
        });
    }

    /** {@code serviceTier: pass | default | priority | flex | reserved}, or {@code serviceTier: {allow: [...]}}. */
    private static Optional<ServiceTierPolicy> serviceTier(YamlSection t) {
        Optional<JsonNode> value = t.get("serviceTier");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String expected = "pass, " + String.join(", ", BedrockHeaders.SERVICE_TIERS) + " or {allow: [<tier>, ...]}";
        if (value.get().isObject()) {
            YamlSection policy = new YamlSection(value.get(), t.at("serviceTier"));
            policy.allowOnly(Set.of("allow"));
            List<JsonNode> items = policy.list("allow");
            if (items.isEmpty()) {
                throw policy.fail("allow must list at least one tier (" + String.join(", ", BedrockHeaders.SERVICE_TIERS) + ")");
            }
            Set<String> tiers = new java.util.LinkedHashSet<>();
            for (int i = 0; i < items.size(); i++) {
                tiers.add(knownTier(YamlSection.scalar(items.get(i), policy.at("allow") + "[" + i + "]"),
                        policy.at("allow") + "[" + i + "]", String.join(", ", BedrockHeaders.SERVICE_TIERS)));
            }
            return Optional.of(ServiceTierPolicy.allow(tiers));
        }
        String tier = YamlSection.scalar(value.get(), t.at("serviceTier"));
        return Optional.of(tier.equals("pass") ? ServiceTierPolicy.PASS
                : ServiceTierPolicy.force(knownTier(tier, t.at("serviceTier"), expected)));
    }

    private static String knownTier(String tier, String where, String expected) {
        if (!BedrockHeaders.SERVICE_TIERS.contains(tier)) {
            throw new InvalidTenantsFile(where + ": unknown service tier '" + tier + "' (expected " + expected + ")");
        }
        return tier;
    }
}
