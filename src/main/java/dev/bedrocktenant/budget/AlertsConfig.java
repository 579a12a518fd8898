package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Alert levels by budget used (docs/reference.md §11). */
@ConfigMapping(prefix = "proxy.alerts")
public interface AlertsConfig {

    /** The used ratios at which a tenant turns yellow, orange and red, ascending. */
    @WithDefault("0.7,0.9,1.0")
    List<BigDecimal> thresholds();
}
