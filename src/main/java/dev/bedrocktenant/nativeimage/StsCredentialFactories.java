package dev.bedrocktenant.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The AWS SDK's default credential chain loads its STS-backed providers by class name, so that the sts
 * module stays optional: web identity (IRSA, as in the Kubernetes sidecar) and profiles that assume a role
 * ({@code role_arn}). The sts jar registers only the first for a native image; without the second, such a
 * profile would fail there with "sts must be on the class path".
 */
@RegisterForReflection(classNames = {
        "software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory",
        "software.amazon.awssdk.services.sts.internal.StsProfileCredentialsProviderFactory" },
        methods = false, fields = false)
final class StsCredentialFactories {

    private StsCredentialFactories() {
    }
}
