package dev.bedrocktenant.pricing;

/**
 * A pricing file (the bundled table or the override) cannot be used. The message names the file, and
 * the model and field concerned, so it can be logged as is; start-up fails with it.
 */
public final class InvalidPriceFile extends RuntimeException {

    public InvalidPriceFile(String message) {
        super(message, null, false, false);
    }
}
