package dev.bedrocktenant.metering;



/** Metering on, with a tenant's own model series capped at {@code maxModelsPerTenant}. */
public record TestMeteringConfig(int maxModelsPerTenant) implements MeteringConfig {

    @Override
    public boolean enabled() {
        return true;
    }
}
