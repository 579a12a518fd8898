package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * The day files the writer has open, in append mode, and which of them hold bytes not yet forced to the
 * disk. Used by the writer thread only. A file is repaired (torn tail cut) each time it is opened, so a
 * line never starts in the middle of another.
 */
final class OpenDayFiles implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OpenDayFiles.class);

    private final DayFiles files;
    private final Map<LocalDate, FileChannel> open = new HashMap<>();
    /** Each open file's size, kept here so that a write needs no stat. */
    private final Map<LocalDate, Long> ends = new HashMap<>();
    private final Set<LocalDate> unforced = new HashSet<>();

    OpenDayFiles(DayFiles files) {
        this.files = files;
    }

    FileChannel channel(LocalDate day) throws IOException {
        FileChannel channel = open.get(day);
        if (channel == null) {
            Path path = files.pathOf(day);
            if (Files.exists(path)) {
                TornTail.repair(path);
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            open.put(day, channel);
            ends.put(day, channel.size());
        }
        return channel;
    }

    /** Where the next line of the open file of {@code day} starts. */
    long end(LocalDate day) {
        return ends.get(day);
    }

    void written(LocalDate day, long bytes) {
        ends.merge(day, bytes, Long::sum);
        unforced.add(day);
    }

    /** Forces every file written since the last call; then keeps only {@code keep}'s file open. */
    void force(LocalDate keep) {
        for (Iterator<LocalDate> days = unforced.iterator(); days.hasNext(); ) {
            LocalDate day = days.next();
            FileChannel channel = open.get(day);
            try {
                if (channel != null) {
                    channel.force(false);
                }
                days.remove();
            } catch (IOException e) {
                LOG.errorf("ledger fsync failed file=%s error=%s", files.pathOf(day), e.toString());
                discard(day);
            }
        }
        // yesterday's file stays open only until its last late lines are forced
        open.keySet().removeIf(day -> !day.equals(keep) && !unforced.contains(day) && closeQuietly(day));
        ends.keySet().retainAll(open.keySet());
    }

    /** Drops a channel after an I/O error, so the next attempt reopens (and repairs) the file. */
    void discard(LocalDate day) {
        closeQuietly(day);
        open.remove(day);
        ends.remove(day);
    }

    @Override
    public void close() {
        force(null);
        for (LocalDate day : Set.copyOf(open.keySet())) {
            discard(day);
        }
    }

    private boolean closeQuietly(LocalDate day) {
        FileChannel channel = open.get(day);
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.warnf("ledger close failed file=%s error=%s", files.pathOf(day), e.toString());
        }
        return true;
    }
}
