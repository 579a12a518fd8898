package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a directory, held by one process while it writes there (an OS file lock, so a process
 * that dies, even by kill -9, lets go of it). Two proxies on one ledger directory would cut each other's
 * lines at start-up and take each other's journal.
 */
final class DirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates {@code dir} when missing and locks {@code fileName} in it, or fails saying who holds it. */
    static DirectoryLock take(Path dir, String fileName, String what) {
        Path file = dir.resolve(fileName);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new OverlappingFileLockException();
            }
            return new DirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException(what + " directory " + dir.toAbsolutePath()
                    + " is in use by another running proxy: give each proxy its own");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException(what + " directory unusable: " + dir.toAbsolutePath(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below lets go of it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing held any more
        }
    }
}
