package dev.bedrocktenant.metering.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.micrometer.core.instrument.Counter;
import org.jboss.logging.Logger;

/**
 * Writes the queued lines of one writer round, whose responses wait for them: each day's share with one
 * append, then hands every line's acknowledgement back to the event loop that waits for it — or fails
 * them, counted, when the disk refused them, and writes each such line whole into the log (at ERROR), so that
 * billing data the disk would not take is still on record (a full ledger disk leaves the log, on stdout, alone).
 */
final class GroupCommit {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    private final DayFileAppender appender;
    private final Counter failedLines;

    GroupCommit(DayFileAppender appender, Counter failedLines) {
        this.appender = appender;
        this.failedLines = failedLines;
    }

    void write(List<PendingLine> batch) {
        Map<LocalDate, List<PendingLine>> byDay = new LinkedHashMap<>(2);
        for (PendingLine line : batch) { // a batch spans two days only around midnight
            byDay.computeIfAbsent(line.day(), day -> new ArrayList<>()).add(line);
        }
        byDay.forEach(this::writeDay);
    }

    private void writeDay(LocalDate day, List<PendingLine> lines) {
        IOException failure = appender.append(day, join(lines), lines.size());
        if (failure == null) {
            acknowledge(lines);
        } else {
            LOG.errorf("ledger lines not written day=%s lines=%d error=%s", day, lines.size(), failure);
            for (PendingLine line : lines) { // kept in the log instead: a line names no prompt, completion or secret
                LOG.errorf("ledger line not written, kept here: %s", new String(line.bytes(), 0, line.bytes().length - 1,
                        StandardCharsets.UTF_8));
            }
            fail(lines, failure);
        }
    }

    /** Fails every line not yet acknowledged, each counted before its caller can see the failure. */
    void fail(List<PendingLine> lines, Throwable cause) {
        LedgerWriteFailed failed = new LedgerWriteFailed("usage ledger write failed", cause);
        for (PendingLine line : lines) {
            if (!line.written().isDone()) { // (the watchdog may have given up on it already: then it is late, not lost)
                failedLines.increment();
                line.written().completeExceptionally(failed);
            }
        }
    }

    /**
     * One task per executor, not one per line: handing each line back to its event loop on its own would
     * wake that loop once per line.
     */
    private static void acknowledge(List<PendingLine> lines) {
        Map<Executor, List<PendingLine>> byExecutor = new IdentityHashMap<>(4);
        for (PendingLine line : lines) {
            byExecutor.computeIfAbsent(line.acknowledgements(), executor -> new ArrayList<>()).add(line);
        }
        byExecutor.forEach((executor, group) -> {
            Runnable completeAll = () -> group.forEach(line -> line.written().complete(null));
            try {
                executor.execute(completeAll);
            } catch (RejectedExecutionException e) { // its event loop is shutting down: nobody is left to wait long
                completeAll.run();
            }
        });
    }

    private static ByteBuffer join(List<PendingLine> lines) {
        int size = 0;
        for (PendingLine line : lines) {
            size += line.bytes().length;
        }
        ByteBuffer joined = ByteBuffer.allocate(size);
        lines.forEach(line -> joined.put(line.bytes()));
        return joined.flip();
    }
}
