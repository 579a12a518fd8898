package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

class PricingConfigTest {

    private static PricingConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withMapping(PricingConfig.class)
                .build();
        return config.getConfigMapping(PricingConfig.class);
    }

    @Test
    void pricingFileIsOptional() {
        assertEquals(Optional.empty(), config(Map.of()).pricingFile());
    }

    @Test
    void pricingFileIsAPath() {
        assertEquals(Optional.of(Path.of("/etc/proxy/prices.json")),
                config(Map.of("proxy.pricing-file", "/etc/proxy/prices.json")).pricingFile());
    }
}
