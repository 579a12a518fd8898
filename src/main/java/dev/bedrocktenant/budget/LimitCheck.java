package dev.bedrocktenant.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * The admission rule, shared by the stores that run it in Java: a limit has room while what is used plus what
 * is reserved is under it. The request then reserves its own estimate, so the last admitted request may take a
 * counter past its limit, and the next one waits. Redis runs the same rule in Lua ({@code RedisScripts.ADMIT}).
 */
public final class LimitCheck {

    static final String MAX_CONCURRENT = "maxConcurrent";
    static final String REQUESTS_PER_MINUTE = "requestsPerMinute";
    static final String TOKENS_PER_MINUTE = "tokensPerMinute";
    static final String DAILY_USD = "dailyUsd";
    static final String MONTHLY_USD = "monthlyUsd";

    private LimitCheck() {
    }

    /** The first limit without room, in the order a client can best act on: in flight, minute, day, month. */
    static Optional<String> firstOver(Claim claim, long requests, long tokens, long inFlight,
                                      BigDecimal committedToday, BigDecimal committedThisMonth) {
        if (claim.limits().maxConcurrent().filter(max -> inFlight >= max).isPresent()) {
            return Optional.of(MAX_CONCURRENT);
        }
        if (claim.limits().requestsPerMinute().filter(max -> requests >= max).isPresent()) {
            return Optional.of(REQUESTS_PER_MINUTE);
        }
        if (claim.limits().tokensPerMinute().filter(max -> tokens >= max).isPresent()) {
            return Optional.of(TOKENS_PER_MINUTE);
        }
        if (claim.budget().dailyUsd().filter(max -> committedToday.compareTo(max) >= 0).isPresent()) {
            return Optional.of(DAILY_USD);
        }
        if (claim.budget().monthlyUsd().filter(max -> committedThisMonth.compareTo(max) >= 0).isPresent()) {
            return Optional.of(MONTHLY_USD);
        }
        return Optional.empty();
    }

    /** When a limit has room again at the latest: the end of its minute, day or month. */
    public static Instant resetOf(String limit, Instant at) {
        return switch (limit) {
            case MAX_CONCURRENT -> at.plus(MemoryStateStore.CONCURRENCY_RETRY);
            case REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE -> Period.endOfMinute(at);
            case DAILY_USD -> Period.DAILY.endOf(at);
            case MONTHLY_USD -> Period.MONTHLY.endOf(at);
            default -> throw new IllegalArgumentException(limit);
        };
    }
}
