package dev.bedrocktenant.usage;

import java.util.Optional;
import java.util.OptionalLong;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

/**
 * What every operation's reader shares: error responses carry no usage (and are not unreadable),
 * nothing thrown while reading ever reaches the relay, and once the body could not be followed the
 * rest of it is ignored, since its position in the format is lost.
 */
abstract class ResponseUsageReader implements UsageExtractor {

    private static final Logger LOG = Logger.getLogger(ResponseUsageReader.class);

    private boolean errorResponse;
    private boolean lost;
    private boolean unreadable;
    private boolean outputProduced;
    private TokenUsage usage = TokenUsage.NOT_REPORTED;
    private Optional<String> servedTier = Optional.empty();
    private OptionalLong firstTokenNanos = OptionalLong.empty();

    @Override
    public final void onHeaders(int status, MultiMap headers) {
        errorResponse = status >= 400;
        if (errorResponse) {
            return;
        }
        try {
            readHeaders(headers);
        } catch (RuntimeException e) {
            markUnreadable(e);
        }
    }

    @Override
    public final void onBytes(Buffer bytes) {
        if (errorResponse || lost || bytes.length() == 0) {
            return;
        }
        try {
            readBody(bytes);
        } catch (Exception e) {
            lost = true;
            markUnreadable(e);
        }
    }

    @Override
    public final TokenUsage usage() {
        return usage;
    }

    @Override
    public final Optional<String> servedTier() {
        return servedTier;
    }

    @Override
    public final OptionalLong firstTokenNanos() {
        return firstTokenNanos;
    }

    @Override
    public final boolean outputProduced() {
        return outputProduced;
    }

    @Override
    public final boolean unreadable() {
        return unreadable;
    }

    /** Status is below 400. Default: usage is not in the headers. */
    void readHeaders(MultiMap headers) {
    }

    /** Body bytes of a successful response; throwing stops reading the rest and marks it unreadable. */
    abstract void readBody(Buffer bytes) throws Exception;

    final void reported(TokenUsage tokens) {
        usage = tokens;
    }

    final void served(String tier) {
        servedTier = Optional.of(tier);
    }

    /** The model's output is here: for a stream its first content, else the successful response itself. */
    final void outputNow() {
        outputProduced = true;
    }

    final void firstTokenNow() {
        outputNow();
        if (firstTokenNanos.isEmpty()) {
            firstTokenNanos = OptionalLong.of(System.nanoTime());
        }
    }

    /** For a part that could not be read while the rest still can (one bad event of a stream). */
    final void markUnreadable(Exception cause) {
        unreadable = true;
        LOG.debugf("usage unreadable in %s: %s", getClass().getSimpleName(), cause.toString());
    }
}
