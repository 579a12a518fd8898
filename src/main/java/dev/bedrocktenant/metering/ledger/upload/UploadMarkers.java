package dev.bedrocktenant.metering.ledger.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * What the bucket already has of each day file, kept beside the ledger so that a restart uploads only what is new:
 * in {@value #DIR}/, one small file per uploaded day file ({@code usage-2026-12-03.jsonl.uploaded}) holding
 * {@code <bytes> <Content-MD5> <uploaded at, epoch ms> <key>}. A marker is written only once S3 has taken the
 * upload; one lost in a crash just before means one upload again, under the same key: the object is replaced,
 * not doubled.
 */
final class UploadMarkers {

    static final String DIR = "s3-uploaded";

    /** The last upload of a day file: its first {@code bytes} bytes, taken by the bucket {@code at}. */
    record Marker(long bytes, Instant at) {
    }

    private final Path dir;

    UploadMarkers(Path ledgerDir) {
        this.dir = ledgerDir.resolve(DIR);
    }

    /** The last upload of {@code dayFile}; empty when the bucket has none of it. */
    Optional<Marker> of(Path dayFile) throws IOException {
        try {
            String[] fields = Files.readString(markerOf(dayFile), StandardCharsets.UTF_8).split(" ", 4);
            return Optional.of(new Marker(Long.parseLong(fields[0]), Instant.ofEpochMilli(Long.parseLong(fields[2]))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (RuntimeException e) { // a marker cut by a crash of the machine: upload again
            return Optional.empty();
        }
    }

    /** Records that the bucket has {@code snapshot} under {@code key} since {@code at}: written whole or not at all. */
    void uploaded(DaySnapshot snapshot, String key, Instant at) throws IOException {
        Files.createDirectories(dir);
        Path marker = markerOf(snapshot.file());
        Path written = Files.writeString(marker.resolveSibling(marker.getFileName() + ".tmp"),
                snapshot.bytes() + " " + snapshot.md5() + " " + at.toEpochMilli() + " " + key + "\n",
                StandardCharsets.UTF_8);
        Files.move(written, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path markerOf(Path dayFile) {
        return dir.resolve(dayFile.getFileName() + ".uploaded");
    }
}
