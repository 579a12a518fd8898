package dev.bedrocktenant.metering.ledger.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import dev.bedrocktenant.metering.ledger.TornTail;

/**
 * What one upload of a day file sends: its whole lines, the first {@code bytes} bytes, and their MD5, which goes
 * along as Content-MD5 so that S3 refuses bytes that changed on the way. A line still being written (or one a
 * crash tore) has no newline yet and stays out. Later lines only add to a day file, so a file longer than its
 * last upload has lines the bucket lacks.
 */
record DaySnapshot(Path file, long bytes, String md5) {

    private static final int CHUNK = 256 * 1024;

    static DaySnapshot of(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = TornTail.wholeLinesEnd(channel, channel.size());
            MessageDigest md5 = newMd5();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            for (long position = 0; position < end; ) {
                chunk.clear().limit((int) Math.min(CHUNK, end - position));
                int read = channel.read(chunk, position);
                if (read < 0) {
                    throw new IOException("ledger file shrank while read for upload: " + file);
                }
                md5.update(chunk.flip());
                position += read;
            }
            return new DaySnapshot(file, end, Base64.getEncoder().encodeToString(md5.digest()));
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
