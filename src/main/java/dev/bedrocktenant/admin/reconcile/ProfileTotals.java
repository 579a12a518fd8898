package dev.bedrocktenant.admin.reconcile;

/** What was used through one application inference profile in a window, as reconcile compares it. */
public record ProfileTotals(long inputTokens, long outputTokens, long invocations) {

    public static final ProfileTotals ZERO = new ProfileTotals(0, 0, 0);

    public ProfileTotals plus(ProfileTotals other) {
        return new ProfileTotals(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                invocations + other.invocations);
    }
}
