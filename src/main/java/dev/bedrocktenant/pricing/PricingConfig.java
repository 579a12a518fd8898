package dev.bedrocktenant.pricing;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Where prices come from, besides the bundled table. */
@ConfigMapping(prefix = "proxy")
public interface PricingConfig {

    /** A JSON pricing file whose entries add to or replace the bundled table's, per model id. */
    Optional<Path> pricingFile();
}
