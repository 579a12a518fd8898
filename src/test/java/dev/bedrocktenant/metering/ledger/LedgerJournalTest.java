package dev.bedrocktenant.metering.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerJournalTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-24");

    @TempDir
    Path dir;

    @Test
    void linesComeOutInOrderAndStayUntilReleased() {
        LedgerJournal journal = LedgerJournal.open(dir, 64 * 1024);
        ByteBuffer into = journal.newBatchBuffer();
        assertTrue(journal.append(DAY, line("a")));
        assertTrue(journal.append(DAY, line("b")));

        LedgerJournal.Batch first = journal.peek(into);
        assertEquals("a\nb\n", text(first));
        assertEquals(2, first.lines());
        assertEquals("a\nb\n", text(journal.peek(into)), "peeking again takes nothing out");

        journal.release(first);
        assertTrue(journal.isEmpty());
        assertTrue(journal.peek(into).isEmpty());
    }

    @Test
    void aBatchHoldsTheLinesOfOneDayFile() {
        LedgerJournal journal = LedgerJournal.open(dir, 64 * 1024);
        ByteBuffer into = journal.newBatchBuffer();
        journal.append(DAY, line("late"));
        journal.append(DAY.plusDays(1), line("early"));
        journal.append(DAY, line("late-again"));

        List<String> batches = new ArrayList<>();
        for (LedgerJournal.Batch batch = journal.peek(into); !batch.isEmpty(); batch = journal.peek(into)) {
            batches.add(batch.day() + " " + text(batch));
            journal.release(batch);
        }
        assertEquals(List.of("2026-11-24 late\n", "2026-11-25 early\n", "2026-11-24 late-again\n"), batches);
    }

    @Test
    void aFullJournalRefusesTheLineAndTakesLinesAgainOnceReleased() {
        LedgerJournal journal = LedgerJournal.open(dir, 64 * 1024);
        ByteBuffer into = journal.newBatchBuffer();
        byte[] kilobyte = line("x".repeat(1023));
        int taken = 0;
        while (journal.append(DAY, kilobyte)) {
            taken++;
        }
        assertTrue(taken >= 60 && taken <= 64, "64 KiB hold about 64 lines of 1 KiB: " + taken);
        assertFalse(journal.append(DAY, kilobyte));
        journal.release(journal.peek(into));
        assertTrue(journal.append(DAY, line("room again")));
    }

    @Test
    void wrapsAroundItsEndWithoutLosingOrSplittingALine() {
        LedgerJournal journal = LedgerJournal.open(dir, 64 * 1024);
        ByteBuffer into = journal.newBatchBuffer();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) { // ~1.5 MB through 64 KiB: the ring wraps many times
            String text = "line-" + i + "-" + "y".repeat(i % 500);
            if (!journal.append(DAY, line(text))) {
                drain(journal, into, out);
                assertTrue(journal.append(DAY, line(text)));
            }
        }
        drain(journal, into, out);
        assertEquals(5_000, out.size());
        for (int i = 0; i < 5_000; i++) {
            assertEquals("line-" + i + "-" + "y".repeat(i % 500), out.get(i));
        }
    }

    @Test
    void aLineLongerThanTheJournalTakesIsRefused() {
        LedgerJournal journal = LedgerJournal.open(dir, 64 * 1024);
        assertFalse(journal.append(DAY, line("z".repeat(64 * 1024 / 8 + 1))));
        assertTrue(journal.isEmpty());
    }

    @Test
    void reopeningFindsWhatWasLeft() {
        LedgerJournal.open(dir, 64 * 1024).append(DAY, line("left"));
        LedgerJournal again = LedgerJournal.open(dir, 128 * 1024);
        assertEquals(64 * 1024, again.capacity(), "an existing journal keeps its size until it is emptied");
        assertEquals("left\n", text(again.peek(again.newBatchBuffer())));
    }

    private static void drain(LedgerJournal journal, ByteBuffer into, List<String> out) {
        for (LedgerJournal.Batch batch = journal.peek(into); !batch.isEmpty(); batch = journal.peek(into)) {
            assertNotNull(batch.day(), "a batch always holds lines: the padding at the ring's end is skipped");
            text(batch).lines().forEach(out::add);
            journal.release(batch);
        }
    }

    static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String text(LedgerJournal.Batch batch) {
        return StandardCharsets.UTF_8.decode(batch.bytes().duplicate()).toString();
    }
}
