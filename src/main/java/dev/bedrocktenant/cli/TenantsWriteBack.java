package dev.bedrocktenant.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Adds provisioned profile ARNs to the tenants' {@code profiles} maps. Everything else is kept as parsed
 * (budgets exactly as written); YAML comments are not, so the previous file is kept as {@code .bak}.
 * The file is replaced atomically: the running proxy reloads it and never sees half of it.
 */
final class TenantsWriteBack {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private TenantsWriteBack() {
    }

    /** @param arns tenant → (model as asked for → profile ARN) */
    static void write(Path file, Map<String, Map<String, String>> arns) {
        try {
            String original = Files.readString(file, StandardCharsets.UTF_8);
            JsonNode root = YAML.readTree(original);
            ObjectNode tenants = (ObjectNode) root.get("tenants");
            arns.forEach((tenant, profiles) -> {
                JsonNode node = tenants.get(tenant);
                ObjectNode t = node instanceof ObjectNode o ? o : tenants.putObject(tenant);
                ObjectNode map = t.get("profiles") instanceof ObjectNode p ? p : t.putObject("profiles");
                profiles.forEach(map::put);
            });
            Files.writeString(file.resolveSibling(file.getFileName() + ".bak"), original, StandardCharsets.UTF_8);
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tenants-", ".yaml");
            Files.writeString(temp, "# written by 'provision --write-back'; the previous version is in "
                    + file.getFileName() + ".bak\n" + YAML.writeValueAsString(root), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write back into " + file + ": " + e.getMessage(), e);
        }
    }
}
