package dev.bedrocktenant.profile;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.controlplane.ControlPlaneClients;
import dev.bedrocktenant.simulator.BedrockSimulator;
import dev.bedrocktenant.simulator.InferenceProfileStore;
import dev.bedrocktenant.simulator.SimulatedControlPlane;
import dev.bedrocktenant.simulator.SimulatorJournal;
import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

/** The simulator's control plane on a free port, and the real SDK client the proxy builds, pointed at it. */
public final class SimulatedAccount implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIASIMULATOR0000001";
    public static final String SECRET = "simulator-secret-key";
    public static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
    public static final String SONNET = "anthropic.claude-sonnet-4-20250514-v1:0";

    public final Vertx vertx = Vertx.vertx();
    public final BedrockSimulator simulator = new BedrockSimulator(vertx, "127.0.0.1", 0, ACCESS_KEY, SECRET, new SimulatorJournal());
    public final int port;
    public final BedrockAsyncClient bedrock;

    public SimulatedAccount() throws Exception {
        port = simulator.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        bedrock = ControlPlaneClients.async(endpoint(), "us-east-1", credentials(), Duration.ofSeconds(20));
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public SimulatedControlPlane controlPlane() {
        return simulator.controlPlane();
    }

    /** An existing application profile copying a foundation model, with tags. */
    public String seed(String name, String baseModel, Map<String, String> tags) {
        return controlPlane().profiles().create(name, "arn:aws:bedrock:us-east-1::foundation-model/" + baseModel, tags,
                Optional.empty()).arn();
    }

    /** An existing application profile copying a system profile ({@code us.…}, {@code eu.…}), with tags. */
    public String seedCopyOf(String name, String systemProfileId, Map<String, String> tags) {
        return controlPlane().profiles().create(name, "arn:aws:bedrock:us-east-1:" + InferenceProfileStore.ACCOUNT
                + ":inference-profile/" + systemProfileId, tags, Optional.empty()).arn();
    }

    public InferenceProfileStore profiles() {
        return controlPlane().profiles();
    }

    public ProfileCatalog catalog(boolean autoCreate, Duration missTtl) {
        ProfileDiscovery discovery = new ProfileDiscovery(bedrock);
        Optional<ProfileCreator> creator = autoCreate
                ? Optional.of(new ProfileCreator(bedrock, discovery, "us-east-1", "btp")) : Optional.empty();
        return new ProfileCatalog(discovery, creator,
                new ProfileCatalog.Settings("TenantID", "us-east-1", missTtl, Duration.ofSeconds(10)), Clock.systemUTC());
    }

    @Override
    public void close() throws Exception {
        bedrock.close();
        simulator.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
