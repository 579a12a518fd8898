package dev.bedrocktenant.signing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import dev.bedrocktenant.tenant.Tenant;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * One tenant's assumed role: the SDK's provider does the AssumeRole calls and refreshes ahead of expiry in
 * the background; this class keeps every call that could block (the first one, or one near expiry after
 * refreshes failed) off the event loop, and lets concurrent callers share that one call.
 */
final class RoleSession implements AutoCloseable {

    private final Tenant.Role role;
    private final StsAssumeRoleCredentialsProvider provider;
    private final Duration staleTime;
    private final Function<Callable<AwsCredentials>, CompletionStage<AwsCredentials>> onWorker;
    /** What the provider last handed out; null before the first AssumeRole succeeded. */
    private volatile AwsCredentials known;
    private CompletableFuture<AwsCredentials> pending;

    /**
     * @param staleTime the provider's own: within it of expiry, the provider blocks to refresh
     * @param onWorker  runs a blocking call on a worker thread
     */
    RoleSession(Tenant.Role role, StsAssumeRoleCredentialsProvider provider, Duration staleTime,
                Function<Callable<AwsCredentials>, CompletionStage<AwsCredentials>> onWorker) {
        this.role = role;
        this.provider = provider;
        this.staleTime = staleTime;
        this.onWorker = onWorker;
    }

    Tenant.Role role() {
        return role;
    }

    /** Credentials to sign with now; fails with the SDK's exception when the role cannot be assumed. */
    CompletionStage<AwsCredentials> credentials(Instant now) {
        AwsCredentials last = known;
        if (last != null && !nearStale(last, now)) {
            // the provider's cached set is at least as new as ours, so it answers from memory
            return CompletableFuture.completedFuture(remember(provider.resolveCredentials()));
        }
        synchronized (this) {
            if (pending == null) {
                pending = onWorker.apply(() -> remember(provider.resolveCredentials())).toCompletableFuture()
                        .whenComplete((credentials, failure) -> done());
            }
            return pending;
        }
    }

    private synchronized void done() {
        pending = null;
    }

    /** A margin of a second over the provider's stale time, so that the provider never blocks the caller. */
    private boolean nearStale(AwsCredentials credentials, Instant now) {
        return credentials.expirationTime()
                .map(expiry -> !now.isBefore(expiry.minus(staleTime).minusSeconds(1)))
                .orElse(false);
    }

    private AwsCredentials remember(AwsCredentials credentials) {
        known = credentials;
        return credentials;
    }

    @Override
    public void close() {
        provider.close();
    }
}
