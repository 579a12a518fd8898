package dev.bedrocktenant.nativeimage;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import dev.bedrocktenant.pricing.PriceFile;
import io.quarkus.deployment.util.GlobUtil;
import org.junit.jupiter.api.Test;

/**
 * A native executable carries a classpath resource only when quarkus.native.resources.includes lists it;
 * one missing there shows only when the executable runs (the price table: the proxy refuses to start).
 */
class NativeResourcesTest {

    private static final List<String> INCLUDES = includes();

    @Test
    void bundledPriceTableIsIncluded() {
        String table = PriceFile.BUNDLED.substring(1);
        assertTrue(INCLUDES.stream().anyMatch(glob -> table.matches(GlobUtil.toRegexPattern(glob))),
                table + " is not matched by quarkus.native.resources.includes " + INCLUDES);
    }

    @Test
    void everyNamedResourceExists() {
        // a renamed file (or an SDK that moved its service list) would leave a stale entry that includes nothing
        INCLUDES.stream().filter(glob -> !glob.contains("*")).forEach(name -> assertNotNull(
                getClass().getClassLoader().getResource(name), name + " is listed but not on the classpath"));
    }

    private static List<String> includes() {
        Properties config = new Properties();
        try (InputStream in = NativeResourcesTest.class.getClassLoader().getResourceAsStream("application.properties")) {
            config.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String value = config.getProperty("quarkus.native.resources.includes", "");
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
