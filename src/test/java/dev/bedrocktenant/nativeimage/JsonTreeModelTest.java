package dev.bedrocktenant.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The tenants file, the price tables, the ledger and the admin answers are read and written through
 * Jackson's tree model (or by hand), never bound to classes: binding reaches a class's constructors and
 * accessors by reflection, which a native executable allows only for classes registered for it, and fails
 * only there.
 */
class JsonTreeModelTest {

    /** Jackson's (and Vert.x's, which delegates to it) entry points that bind a class. */
    private static final Pattern BINDING = Pattern.compile(
            "\\.(readValues?|treeToValue|convertValue|valueToTree|readerFor|writerFor|mapTo|mapFrom)\\("
                    + "|@Json(Property|Creator|Deserialize|Serialize)\\b");

    @Test
    void mainCodeBindsNoClass() throws IOException {
        List<String> bindings;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            bindings = files.filter(f -> f.toString().endsWith(".java")).flatMap(JsonTreeModelTest::bindingLines).toList();
        }
        assertEquals(List.of(), bindings, "read these as trees, or register the bound classes with"
                + " @RegisterForReflection and let this test allow those lines");
    }

    private static Stream<String> bindingLines(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> !line.strip().startsWith("*") && !line.strip().startsWith("//"))
                    .filter(line -> BINDING.matcher(line).find())
                    .map(line -> file.getFileName() + ": " + line.strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
