package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jboss.logging.Logger;

/**
 * Repairs a day file whose last line was cut by a crash mid-write (no trailing newline). The torn tail is
 * cut off rather than completed: its bytes never all reached the file, so no append of it was ever
 * acknowledged, and the next line must start on a clean line.
 */
public final class TornTail {

    private static final Logger LOG = Logger.getLogger(TornTail.class);
    private static final int BLOCK = 8192;

    private TornTail() {
    }

    /** Cuts a torn last line off an open, writable file; returns the bytes removed (0 when it was whole). */
    static long repair(FileChannel channel, Path file) throws IOException {
        long size = channel.size();
        if (size == 0 || byteAt(channel, size - 1) == '\n') {
            return 0;
        }
        long keep = wholeLinesEnd(channel, size);
        channel.truncate(keep);
        channel.force(true);
        LOG.warnf("ledger repaired torn last line file=%s removedBytes=%d", file, size - keep);
        return size - keep;
    }

    /** Repairs one file in place, opening and closing it. */
    static long repair(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return repair(channel, file);
        }
    }

    private static byte byteAt(FileChannel channel, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        if (channel.read(one, position) != 1) {
            throw new IOException("short read at " + position);
        }
        return one.get(0);
    }

    /**
     * The length of the file's first {@code size} bytes up to and including their last newline (0 when they have
     * none): where its whole lines end.
     */
    public static long wholeLinesEnd(FileChannel channel, long size) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - BLOCK);
            block.clear().limit((int) (end - start));
            while (block.hasRemaining()) {
                if (channel.read(block, start + block.position()) < 0) {
                    throw new IOException("file shrank while reading");
                }
            }
            for (int i = block.limit() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }
}
