package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.LocalDate;

import org.jboss.logging.Logger;

/**
 * Appends whole lines to the day files for the ledger's writer thread: retried with backoff, and never
 * leaving part of a batch behind (a failed attempt is cut off before the next), so that no line is written
 * twice or torn. Forces to the disk after every append when the fsync interval is zero, else when asked.
 */
final class DayFileAppender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DayFileAppender.class);
    private static final int ATTEMPTS = 4;
    private static final long FIRST_BACKOFF_MS = 50;

    private final OpenDayFiles files;
    private final boolean forceEachAppend;
    /** The day last appended to: its file stays open after a force, the others close. */
    private LocalDate lastDay;

    DayFileAppender(DayFiles files, boolean forceEachAppend) {
        this.files = new OpenDayFiles(files);
        this.forceEachAppend = forceEachAppend;
    }

    /** Appends the lines in {@code bytes} to the day's file; null once they are all in it, else the last failure. */
    IOException append(LocalDate day, ByteBuffer bytes, int lines) {
        long start = -1;
        IOException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                FileChannel channel = files.channel(day);
                if (start < 0) {
                    start = files.end(day);
                } else if (channel.size() > start) {
                    channel.truncate(start); // a failed attempt may have left part of the batch: never twice
                }
                bytes.rewind();
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                files.written(day, bytes.limit());
                if (forceEachAppend) {
                    files.force(day);
                }
                lastDay = day;
                return null;
            } catch (IOException e) {
                failure = e;
                files.discard(day);
                LOG.warnf("ledger write failed day=%s lines=%d attempt=%d error=%s", day, lines, attempt, e);
                if (attempt < ATTEMPTS) {
                    pause(attempt);
                }
            }
        }
        cutBack(day, start);
        return failure;
    }

    /**
     * After the last failed attempt: cuts off what it left of the batch. A disk that fills up mid-write takes
     * the lines before the one it stopped in; left there, they would be written again with the whole batch at
     * the next round (journal lines) or counted as lost though written (queued lines). Cutting a file needs
     * no space.
     */
    private void cutBack(LocalDate day, long start) {
        if (start < 0) {
            return; // the file could not even be opened: nothing was written
        }
        try {
            FileChannel channel = files.channel(day);
            if (channel.size() > start) {
                channel.truncate(start);
            }
        } catch (IOException e) {
            LOG.warnf("ledger write failed and could not be cut back day=%s error=%s", day, e);
        } finally {
            files.discard(day); // reopened at the next write, with its size read again
        }
    }

    /** Forces every file appended to since the last force. */
    void force() {
        files.force(lastDay);
    }

    @Override
    public void close() {
        files.close();
    }

    /** 50, 200, 800 ms: after the attempt-th failure in a row. */
    static void pause(int attempt) {
        try {
            Thread.sleep(FIRST_BACKOFF_MS << (2 * (attempt - 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
