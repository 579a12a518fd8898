package dev.bedrocktenant.metering.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Reads the ledger back: the lines of the day files overlapping a time range, as {@link LedgerEntry}s.
 * Blocking file I/O, so never on an event loop. Safe beside the writer: a line it is still appending
 * (or one a crash tore) does not parse and is skipped with a WARN.
 */
@ApplicationScoped
public class LedgerReader {

    private static final Logger LOG = Logger.getLogger(LedgerReader.class);

    private final DayFiles files;

    @Inject
    public LedgerReader(LedgerConfig config) {
        this(Path.of(config.dir()));
    }

    public LedgerReader(Path dir) {
        this.files = new DayFiles(dir);
    }

    /**
     * The entries stamped in [from, to), file by file in day order, lazily: close the stream (try-with-resources)
     * to release the open file.
     *
     * @throws IllegalStateException on a Vert.x event loop thread
     */
    public Stream<LedgerEntry> read(Instant from, Instant to) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the ledger is read with blocking I/O: not on an event loop");
        }
        if (!from.isBefore(to)) {
            return Stream.empty();
        }
        try {
            return files.overlapping(from, to).stream()
                    .flatMap(LedgerReader::entries)
                    .filter(entry -> !entry.timestamp().isBefore(from) && entry.timestamp().isBefore(to));
        } catch (IOException e) {
            throw new UncheckedIOException("usage ledger unreadable: " + files.dir(), e);
        }
    }

    /** Every parseable line of one day file, in file order. */
    public static Stream<LedgerEntry> entries(Path file) {
        BufferedReader reader;
        try {
            reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Stream.empty(); // deleted (archived) between listing and reading
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] lineNumber = {0};
        return reader.lines()
                .map(line -> parse(file, ++lineNumber[0], line))
                .flatMap(Optional::stream)
                .onClose(() -> {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        LOG.debugf("ledger file close failed file=%s error=%s", file, e);
                    }
                });
    }

    private static Optional<LedgerEntry> parse(Path file, long lineNumber, String line) {
        if (line.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LedgerEntry.parse(line));
        } catch (IllegalArgumentException e) {
            // no line content in the log: it may be anything, even a prompt pasted by hand
            LOG.warnf("ledger line skipped file=%s line=%d length=%d reason=%s", file, lineNumber, line.length(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
