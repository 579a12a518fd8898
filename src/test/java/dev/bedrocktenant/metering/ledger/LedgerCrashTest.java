package dev.bedrocktenant.metering.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.bedrocktenant.metering.LedgerFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise under SIGKILL: every line a child process saw acknowledged is in the ledger exactly
 * once after the child is killed mid-flight and the ledger opened again (which cuts a torn last line and moves
 * what the crash journal held), and every line then parses.
 */
class LedgerCrashTest {

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedLineSurvivesAKill() throws Exception {
        Path dir = tmp.resolve("ledger");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), LedgerCrashChild.class.getName(), dir.toString())
                .redirectError(tmp.resolve("child-stderr.log").toFile())
                .start();
        StringBuilder stdout = new StringBuilder();
        AtomicLong newlines = new AtomicLong();
        Thread pump = new Thread(() -> pump(child.getInputStream(), stdout, newlines), "child-stdout");
        pump.start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (newlines.get() < 1_000 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(20); // wait for the child to be up and writing
        }
        Thread.sleep(1_500); // then let it run flat out for a while
        assertTrue(child.isAlive(), "the child died on its own: " + Files.readString(tmp.resolve("child-stderr.log")));
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no final fsync
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        pump.join(10_000);

        Set<String> acknowledged = completeLines(stdout);
        Ledger atTheKill = readLeniently(dir); // whole lines parse; only a last line may be torn
        // the next start: torn tails cut, and what the journal held moved to the day files
        new UsageLedger(TestLedgerConfig.in(dir), new SimpleMeterRegistry()).close();
        List<LedgerEntry> recovered = LedgerFiles.entries(dir);
        Map<String, Integer> counts = LedgerFiles.idCounts(recovered.stream());
        List<String> lost = acknowledged.stream().filter(id -> !counts.containsKey(id)).toList();
        List<String> doubled = counts.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).limit(10).toList();
        System.out.printf("crash test: acknowledged=%d linesAtTheKill=%d linesAfterRecovery=%d lost=%d tornTailBytes=%d%n",
                acknowledged.size(), atTheKill.entries.size(), recovered.size(), lost.size(), atTheKill.tornBytes);

        assertTrue(acknowledged.size() >= 1_000, "too few acknowledgements to mean anything: " + acknowledged.size());
        assertEquals(List.of(), lost.stream().limit(10).toList(), "acknowledged but not in the ledger");
        assertEquals(List.of(), doubled, "in the ledger more than once");
        assertTrue(recovered.size() >= atTheKill.entries.size());
    }

    private record Ledger(List<LedgerEntry> entries, long tornBytes) {
    }

    /** Every whole line must parse; only the bytes after a file's last newline may be torn. */
    private static Ledger readLeniently(Path dir) throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        long torn = 0;
        for (Path file : new DayFiles(dir).all()) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n') + 1;
            torn += text.length() - end;
            text.substring(0, end).lines().map(LedgerEntry::parse).forEach(entries::add);
        }
        return new Ledger(entries, torn);
    }

    /** The ids the child printed in full; a last id cut by the kill is not an acknowledgement. */
    private static Set<String> completeLines(StringBuilder stdout) {
        String text;
        synchronized (stdout) {
            text = stdout.substring(0, stdout.lastIndexOf("\n") + 1);
        }
        return new HashSet<>(text.lines().toList());
    }

    private static void pump(InputStream in, StringBuilder into, AtomicLong newlines) {
        byte[] buffer = new byte[1 << 16];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                String chunk = new String(buffer, 0, n, StandardCharsets.US_ASCII);
                synchronized (into) {
                    into.append(chunk);
                }
                newlines.addAndGet(chunk.chars().filter(c -> c == '\n').count());
            }
        } catch (IOException e) {
            // the pipe closes when the child dies
        }
    }
}
