package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import org.jboss.logging.Logger;

/**
 * At start-up, before anything is appended: moves the lines a crash left in the {@link LedgerJournal} into
 * their day files, exactly once.
 *
 * <p>The writer takes one batch at a time, appends it to its day file, and only then frees it in the journal.
 * A crash between the two leaves a batch that is in the journal and, wholly or in part, at the end of its day
 * file (a torn last line having been cut already). Only the first batch can be in that state, and the
 * recovery reads the same batches as the writer did ({@link LedgerJournal#peek}); so the lines of the first
 * batch that the file already ends with are skipped, and everything else is appended.
 */
final class JournalRecovery {

    private static final Logger LOG = Logger.getLogger(JournalRecovery.class);

    /** Lines moved to the day files, lines found already there, records abandoned mid-copy by the crash. */
    record Result(int moved, int alreadyWritten, int abandoned) {
    }

    private JournalRecovery() {
    }

    static Result recover(LedgerJournal journal, DayFiles files) throws IOException {
        ByteBuffer into = journal.newBatchBuffer();
        int moved = 0;
        int alreadyWritten = 0;
        int abandoned = 0;
        boolean first = true;
        while (!journal.isEmpty()) {
            LedgerJournal.Batch batch = journal.peek(into);
            if (batch.isEmpty()) {
                if (journal.isEmpty()) {
                    break; // what peek skipped was only padding
                }
                if (!journal.skipAbandonedRecord()) {
                    throw new IOException("usage ledger journal is stuck before its end; move it away to start");
                }
                abandoned++;
                continue;
            }
            try (FileChannel day = FileChannel.open(files.pathOf(batch.day()), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                int[] ends = lineEnds(batch);
                int skip = first ? linesAlreadyAtEnd(day, batch.bytes(), ends) : 0;
                ByteBuffer rest = batch.bytes().position(skip == 0 ? 0 : ends[skip - 1]);
                long end = day.size();
                while (rest.hasRemaining()) {
                    end += day.write(rest, end);
                }
                day.force(false);
                moved += batch.lines() - skip;
                alreadyWritten += skip;
            }
            journal.release(batch);
            first = false;
        }
        if (moved + alreadyWritten + abandoned > 0) {
            LOG.warnf("ledger journal recovered after a crash dir=%s movedLines=%d alreadyWrittenLines=%d "
                    + "abandonedRecords=%d", files.dir().toAbsolutePath(), moved, alreadyWritten, abandoned);
        }
        return new Result(moved, alreadyWritten, abandoned);
    }

    /**
     * The largest k such that the file ends with the batch's first k lines. The file's tail is read once, as
     * long as the whole batch at most, and compared in memory.
     */
    private static int linesAlreadyAtEnd(FileChannel file, ByteBuffer lines, int[] ends) throws IOException {
        long size = file.size();
        int tailLength = (int) Math.min(size, ends[ends.length - 1]);
        ByteBuffer tail = ByteBuffer.allocate(tailLength);
        while (tail.hasRemaining()) {
            if (file.read(tail, size - tailLength + tail.position()) < 0) {
                return 0;
            }
        }
        for (int k = ends.length; k > 0; k--) {
            int length = ends[k - 1];
            if (length <= tailLength && tail.duplicate().position(tailLength - length)
                    .equals(lines.duplicate().position(0).limit(length))) {
                return k;
            }
        }
        return 0;
    }

    /** Where each line of the batch ends (just after its newline). */
    private static int[] lineEnds(LedgerJournal.Batch batch) {
        ByteBuffer lines = batch.bytes();
        int[] ends = new int[batch.lines()];
        int line = 0;
        for (int position = 0; position < lines.limit() && line < ends.length; position++) {
            if (lines.get(position) == '\n') { // ledger lines are JSON: a newline only ends one
                ends[line++] = position + 1;
            }
        }
        return ends;
    }
}
