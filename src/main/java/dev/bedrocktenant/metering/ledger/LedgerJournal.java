package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The ledger's crash journal: a ring of ledger lines in a memory-mapped file ({@value #FILE_NAME} in the
 * ledger directory), between the request that finished and the writer that appends the line to its day file.
 *
 * <p>Why: a response's last bytes may leave only once its line survives a crash of the process (docs/reference.md §7),
 * and the event loop must not do file I/O. Handing each line to the writer thread and waiting for its write
 * costs two thread wake-ups per request, more CPU than all the rest of metering. Bytes copied into a shared
 * file mapping are in the kernel's page cache at once, so they survive a kill of the process with no system
 * call at all; the writer then moves them to the day files in large batches, and what a crash left here is
 * moved at the next start ({@link JournalRecovery}). Agrona's many-to-one ring buffer (the one Aeron uses
 * between processes) lays out and claims the records; a record's type is the epoch day of its line's day file.
 *
 * <p>Any thread may {@link #append}; {@link #peek} and {@link #release} belong to one consumer thread.
 */
final class LedgerJournal {

    static final String FILE_NAME = "ledger-journal.ring";
    /** Lines per {@link #peek} at most: the writer and the recovery after a crash must take the same batches. */
    static final int MAX_BATCH_LINES = 4096;

    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final ManyToOneRingBuffer ring;
    private final int capacity;
    private final int headPositionIndex;

    /** Lines of one day file taken from the journal, to be {@link #release released} once in that file. */
    record Batch(LocalDate day, ByteBuffer bytes, int lines, long head, int consumedBytes) {
        boolean isEmpty() {
            return lines == 0;
        }
    }

    private LedgerJournal(Path file, MappedByteBuffer mapped) {
        this.file = file;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        this.ring = new ManyToOneRingBuffer(buffer); // checks the capacity is a power of two
        this.capacity = ring.capacity();
        this.headPositionIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
    }

    /**
     * Maps the journal of {@code dir}, as a crash left it when it exists (its own size then), else a new empty
     * one of {@code capacityBytes} (a power of two).
     */
    static LedgerJournal open(Path dir, int capacityBytes) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return new LedgerJournal(file, IoUtil.mapExistingFile(file.toFile(), "usage ledger journal"));
            }
            return create(file, capacityBytes);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalStateException("usage ledger journal unusable: " + file.toAbsolutePath()
                    + " (" + e.getMessage() + "); move it away to start without it", e);
        }
    }

    /** Replaces an empty journal by a new one of {@code capacityBytes}; returns the new one. */
    LedgerJournal resize(int capacityBytes) {
        if (!isEmpty()) {
            throw new IllegalStateException("journal still holds lines");
        }
        unmap();
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("usage ledger journal not replaced: " + file.toAbsolutePath(), e);
        }
        return create(file, capacityBytes);
    }

    private static LedgerJournal create(Path file, int capacityBytes) {
        long length = (long) capacityBytes + RingBufferDescriptor.TRAILER_LENGTH;
        return new LedgerJournal(file, IoUtil.mapNewFile(file.toFile(), length, true));
    }

    int capacity() {
        return capacity;
    }

    /** A buffer for {@link #peek}: room for the longest line the journal takes. */
    ByteBuffer newBatchBuffer() {
        return ByteBuffer.allocateDirect(ring.maxMsgLength());
    }

    /** As {@link #append(LocalDate, DirectBuffer, int)}, for a line in an array of its own. */
    boolean append(LocalDate day, byte[] line) {
        return append(day, new UnsafeBuffer(line), line.length);
    }

    /**
     * Copies one line (its first {@code length} bytes, newline included) into the journal. Never blocks: false
     * when the journal has no room for it (the writer is behind, or the line is too long), and the caller must
     * keep the line another way.
     */
    boolean append(LocalDate day, DirectBuffer line, int length) {
        return append(day.toEpochDay(), line, length);
    }

    /** As {@link #append(LocalDate, DirectBuffer, int)}, the day given as {@link LocalDate#toEpochDay()}. */
    boolean append(long epochDay, DirectBuffer line, int length) {
        if (length > ring.maxMsgLength() || epochDay < 1) { // (a record type must be positive)
            return false;
        }
        int index = ring.tryClaim((int) epochDay, length);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
            return false;
        }
        buffer.putBytes(index, line, 0, length);
        ring.commit(index);
        return true;
    }

    /**
     * The lines at the head of the journal that belong to one day file, at most {@link #MAX_BATCH_LINES},
     * copied into {@code into} (from {@link #newBatchBuffer}, cleared first; a line that does not fit ends the
     * batch). Stops at a line still being copied in. Nothing is taken out until {@link #release}: Agrona's own
     * {@code read} frees the records before its caller could have written them anywhere, which a crash in
     * between would lose.
     */
    Batch peek(ByteBuffer into) {
        while (true) {
            Batch batch = takeFromHead(into);
            if (batch.lines() > 0 || batch.consumedBytes() == 0) {
                return batch;
            }
            release(batch); // only the padding before the ring's end: no line to write
        }
    }

    private Batch takeFromHead(ByteBuffer into) {
        into.clear();
        long head = buffer.getLongVolatile(headPositionIndex);
        int headIndex = (int) head & (capacity - 1);
        int contiguous = capacity - headIndex;
        int consumed = 0;
        int lines = 0;
        int dayType = 0;
        while (consumed < contiguous && lines < MAX_BATCH_LINES) {
            int record = headIndex + consumed;
            int length = buffer.getIntVolatile(RecordDescriptor.lengthOffset(record));
            if (length <= 0) {
                break; // not committed yet (or nothing there)
            }
            int type = buffer.getInt(RecordDescriptor.typeOffset(record));
            int lineLength = length - RecordDescriptor.HEADER_LENGTH;
            if (type != RingBuffer.PADDING_MSG_TYPE_ID) {
                if (lines > 0 && type != dayType || lineLength > into.remaining()) {
                    break;
                }
                dayType = type;
                buffer.getBytes(RecordDescriptor.encodedMsgOffset(record), into, into.position(), lineLength);
                into.position(into.position() + lineLength);
                lines++;
            }
            consumed += BitUtil.align(length, RecordDescriptor.ALIGNMENT);
        }
        return new Batch(lines == 0 ? null : LocalDate.ofEpochDay(dayType), into.flip(), lines, head, consumed);
    }

    /** Frees what {@code batch} took, once its lines are in their day file. */
    void release(Batch batch) {
        if (batch.consumedBytes() == 0) {
            return;
        }
        // zeroed before the head moves on, as Agrona's read does: producers rely on freed space being zero
        buffer.setMemory((int) batch.head() & (capacity - 1), batch.consumedBytes(), (byte) 0);
        buffer.putLongOrdered(headPositionIndex, batch.head() + batch.consumedBytes());
    }

    boolean isEmpty() {
        return ring.consumerPosition() >= ring.producerPosition();
    }

    /** Holds a quarter of its capacity or more: time to move lines out before a burst fills it. */
    boolean isQuarterFull() {
        return ring.size() >= capacity / 4;
    }

    /**
     * After a crash: turns a record whose writer died while copying it in (its response never left) into
     * padding, so that the lines after it can be read. True when something was skipped.
     */
    boolean skipAbandonedRecord() {
        return ring.unblock() || skipClaimWithoutHeader();
    }

    /**
     * A writer killed between claiming room (the tail moved) and writing the record's header leaves only zeros
     * up to the tail, or up to the ring's end when the claim was the padding before a wrap; Agrona's
     * {@code unblock} finds no header there to skip to. No line can lie in those zeros, so they become padding.
     */
    private boolean skipClaimWithoutHeader() {
        long head = buffer.getLongVolatile(headPositionIndex);
        long tail = ring.producerPosition();
        int headIndex = (int) head & (capacity - 1);
        int end = tail - head < capacity - headIndex ? headIndex + (int) (tail - head) : capacity;
        if (end == headIndex) {
            return false;
        }
        for (int i = headIndex; i < end; i += Long.BYTES) {
            if (buffer.getLongVolatile(i) != 0) {
                return false; // something was written here after all: not this case
            }
        }
        buffer.putInt(RecordDescriptor.typeOffset(headIndex), RingBuffer.PADDING_MSG_TYPE_ID);
        buffer.putIntOrdered(RecordDescriptor.lengthOffset(headIndex), end - headIndex);
        return true;
    }

    /**
     * Only before any append can run: a thread still copying into an unmapped journal would crash the JVM.
     * A journal in use is never unmapped; the mapping goes with the process.
     */
    void unmap() {
        IoUtil.unmap(mapped);
    }
}
