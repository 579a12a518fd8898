package dev.bedrocktenant.controlplane;

import dev.bedrocktenant.profile.ProfilesConfig;
import dev.bedrocktenant.signing.SigningConfig;
import dev.bedrocktenant.signing.SigningCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

/** The proxy's one control-plane client, created on first use (never when discovery is off). */
@ApplicationScoped
public class ControlPlaneClientProducer {

    @Produces
    @ApplicationScoped
    BedrockAsyncClient bedrock(ControlPlaneConfig config, SigningConfig signing, ProfilesConfig profiles) {
        return ControlPlaneClients.async(ControlPlaneClients.endpoint(config.controlPlaneUrl(), config.region()),
                config.region(),
                SigningCredentials.of(signing.signing().accessKeyId(), signing.signing().secretAccessKey()),
                profiles.lookupTimeout());
    }

    void close(@Disposes BedrockAsyncClient client) {
        client.close();
    }
}
