package dev.bedrocktenant.profile;

import java.time.Clock;
import java.util.Optional;

import dev.bedrocktenant.controlplane.ControlPlaneConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

/** The proxy's catalog: discovery (and auto-creation) as configured; the control-plane client only when used. */
@ApplicationScoped
public class ProfileCatalogProducer {

    private static final Logger LOG = Logger.getLogger(ProfileCatalogProducer.class);

    @Produces
    @Singleton
    ProfileCatalog catalog(ProfilesConfig config, ControlPlaneConfig controlPlane, Instance<BedrockAsyncClient> bedrock) {
        if (!config.discovery().enabled()) {
            if (config.autoCreate()) {
                LOG.warn("proxy.profiles.auto-create=true needs proxy.profiles.discovery.enabled=true (it looks before it"
                        + " creates); no profiles will be created");
            }
            return ProfileCatalog.off(config.tagKey(), controlPlane.region());
        }
        ProfileDiscovery discovery = new ProfileDiscovery(bedrock.get());
        Optional<ProfileCreator> creator = config.autoCreate()
                ? Optional.of(new ProfileCreator(bedrock.get(), discovery, controlPlane.region(), config.namePrefix()))
                : Optional.empty();
        LOG.infof("profile discovery on endpoint=%s tagKey=%s autoCreate=%s refreshInterval=%s",
                controlPlane.controlPlaneUrl(), config.tagKey(), config.autoCreate(), config.refreshInterval());
        return new ProfileCatalog(discovery, creator,
                new ProfileCatalog.Settings(config.tagKey(), controlPlane.region(), config.missTtl(), config.lookupTimeout()),
                Clock.systemUTC());
    }
}
