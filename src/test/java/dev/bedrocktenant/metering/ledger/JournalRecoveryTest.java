package dev.bedrocktenant.metering.ledger;

import static dev.bedrocktenant.metering.ledger.LedgerJournalTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crash can leave in the journal, and the day files afterwards: each line in them exactly once. */
class JournalRecoveryTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-24");

    @TempDir
    Path dir;

    @Test
    void linesNotYetWrittenAreMovedToTheirDayFiles() throws Exception {
        LedgerJournal journal = LedgerJournal.open(dir, 64 * 1024);
        journal.append(DAY, line("a"));
        journal.append(DAY.plusDays(1), line("b"));
        journal.append(DAY, line("c"));

        JournalRecovery.Result result = JournalRecovery.recover(journal, new DayFiles(dir));

        assertEquals(new JournalRecovery.Result(3, 0, 0), result);
        assertEquals("a\nc\n", Files.readString(dayFile(DAY)));
        assertEquals("b\n", Files.readString(dayFile(DAY.plusDays(1))));
        assertTrue(journal.isEmpty());
    }

    @Test
    void aBatchTheWriterHadWrittenInPartIsCompletedNotDoubled() throws Exception {
        // the writer appended "a" and "b" of the batch a, b, c, then died before freeing it
        Files.writeString(dayFile(DAY), "older\na\nb\n");
        LedgerJournal journal = journalHolding("a", "b", "c");

        assertEquals(new JournalRecovery.Result(1, 2, 0), JournalRecovery.recover(journal, new DayFiles(dir)));
        assertEquals("older\na\nb\nc\n", Files.readString(dayFile(DAY)));
    }

    @Test
    void aBatchTheWriterHadWrittenWhollyIsNotWrittenAgain() throws Exception {
        Files.writeString(dayFile(DAY), "a\nb\n");
        LedgerJournal journal = journalHolding("a", "b");

        assertEquals(new JournalRecovery.Result(0, 2, 0), JournalRecovery.recover(journal, new DayFiles(dir)));
        assertEquals("a\nb\n", Files.readString(dayFile(DAY)));
    }

    @Test
    void aRecordAbandonedMidCopyIsSkippedAndTheLinesAfterItAreKept() throws Exception {
        LedgerJournal journal = journalHolding("before");
        // a second view of the same file, as another event loop: it claims a record and dies before committing
        File file = dir.resolve(LedgerJournal.FILE_NAME).toFile();
        ManyToOneRingBuffer dying = new ManyToOneRingBuffer(new UnsafeBuffer(IoUtil.mapExistingFile(file, "test")));
        dying.tryClaim((int) DAY.toEpochDay(), 100);
        journal.append(DAY, line("after"));

        assertEquals(new JournalRecovery.Result(2, 0, 1), JournalRecovery.recover(journal, new DayFiles(dir)));
        assertEquals("before\nafter\n", Files.readString(dayFile(DAY)));
        assertTrue(journal.isEmpty());
    }

    @Test
    void aClaimKilledBeforeItsHeaderWasWrittenEndsTheJournal() throws Exception {
        LedgerJournal journal = journalHolding("before");
        claimWithoutHeader(128); // the tail moved on, and nothing was written where it points

        assertEquals(new JournalRecovery.Result(1, 0, 1), JournalRecovery.recover(journal, new DayFiles(dir)));
        assertEquals("before\n", Files.readString(dayFile(DAY)));
        assertTrue(journal.isEmpty());
    }

    @Test
    void aClaimKilledBeforeItsHeaderAtTheRingsEndKeepsTheLinesAfterTheWrap() throws Exception {
        LedgerJournal journal = LedgerJournal.open(dir, 64 * 1024);
        ByteBuffer into = journal.newBatchBuffer();
        byte[] kilobyte = line("x".repeat(1023));
        while (journal.append(DAY, kilobyte)) {
            // fill the ring, then free it, so that the next claims sit at its end
        }
        for (LedgerJournal.Batch batch = journal.peek(into); !batch.isEmpty(); batch = journal.peek(into)) {
            journal.release(batch);
        }
        int toTheEnd = journal.capacity() - (int) (tailPosition() & (journal.capacity() - 1));
        claimWithoutHeader(toTheEnd); // the padding to the ring's end, killed before it was written
        assertTrue(journal.append(DAY, line("after the wrap")));

        assertEquals(new JournalRecovery.Result(1, 0, 1), JournalRecovery.recover(journal, new DayFiles(dir)));
        assertEquals("after the wrap\n", Files.readString(dayFile(DAY)));
        assertTrue(journal.isEmpty());
    }

    /** What a producer killed between claiming room (moving the tail) and writing the record's header leaves. */
    private void claimWithoutHeader(int bytes) {
        UnsafeBuffer ring = mappedAgain();
        int tail = ring.capacity() - RingBufferDescriptor.TRAILER_LENGTH + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        ring.putLongVolatile(tail, ring.getLongVolatile(tail) + bytes);
    }

    private long tailPosition() {
        UnsafeBuffer ring = mappedAgain();
        return ring.getLongVolatile(ring.capacity() - RingBufferDescriptor.TRAILER_LENGTH
                + RingBufferDescriptor.TAIL_POSITION_OFFSET);
    }

    private UnsafeBuffer mappedAgain() {
        return new UnsafeBuffer(IoUtil.mapExistingFile(dir.resolve(LedgerJournal.FILE_NAME).toFile(), "test"));
    }

    /** A journal as a crash left it: lines of {@link #DAY} copied in, none moved to the day file. */
    private LedgerJournal journalHolding(String... lines) {
        LedgerJournal journal = LedgerJournal.open(dir, 64 * 1024);
        for (String text : lines) {
            assertTrue(journal.append(DAY, line(text)));
        }
        return journal;
    }

    private Path dayFile(LocalDate day) {
        return new DayFiles(dir).pathOf(day);
    }
}
