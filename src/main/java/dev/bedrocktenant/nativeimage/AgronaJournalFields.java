package dev.bedrocktenant.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JDK fields Agrona reads reflectively for the ledger's crash journal, registered for a native image.
 * Agrona 1.x takes {@code sun.misc.Unsafe} from its private {@code theUnsafe} field, and wraps the journal's
 * memory-mapped buffer by the offsets of {@code Buffer.address} and {@code ByteBuffer.hb}/{@code offset}.
 * Its classes are initialised when the native executable runs, so those lookups happen there and find
 * only fields that were registered. Unsafe itself works in a native image; nothing else is needed.
 */
@RegisterForReflection(classNames = { "sun.misc.Unsafe", "java.nio.Buffer", "java.nio.ByteBuffer" }, methods = false)
final class AgronaJournalFields {

    private AgronaJournalFields() {
    }
}
