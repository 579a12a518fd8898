package dev.bedrocktenant.usage;

/** Where usage should be, something is there that cannot be read; the response counts as unreadable. */
final class MalformedUsage extends RuntimeException {

    MalformedUsage(String message) {
        super(message, null, false, false);
    }
}
