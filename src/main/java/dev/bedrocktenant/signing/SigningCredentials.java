package dev.bedrocktenant.signing;

import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The proxy's own AWS credentials, chosen one way for every AWS call it makes (Bedrock Runtime
 * signing, the control plane, the command line): fixed keys when configured, else the default chain.
 */
public final class SigningCredentials {

    private SigningCredentials() {
    }

    public static AwsCredentialsProvider of(Optional<String> accessKeyId, Optional<String> secretAccessKey) {
        return accessKeyId.<AwsCredentialsProvider>map(id -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(id, secretAccessKey.orElse(""))))
                // Refreshes expiring credentials (IMDS, container, SSO, web identity) in the background,
                // so the event loop only ever reads the cached set.
                .orElseGet(() -> DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(true).build());
    }
}
