package dev.bedrocktenant.metering.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.metering.LedgerFiles;
import dev.bedrocktenant.metering.TestUsages;
import dev.bedrocktenant.testing.CapturedLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageLedgerTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30.123Z");

    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private UsageLedger ledger;

    private UsageLedger open(int maxQueuedLines) {
        return open(TestLedgerConfig.in(dir).queueAtMost(maxQueuedLines));
    }

    /** Every line through the queue: its future completes once it is in the file. */
    private UsageLedger openWithoutJournal(int maxQueuedLines) {
        return open(TestLedgerConfig.in(dir).queueAtMost(maxQueuedLines).withoutJournal());
    }

    private UsageLedger open(TestLedgerConfig config) {
        ledger = new UsageLedger(config, registry);
        return ledger;
    }

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    private double dropped(String reason) {
        return registry.get(UsageLedger.DROPPED_LINES).tag("reason", reason).counter().count();
    }

    @Test
    void writesOneFilePerUtcDayOfTheTimestamp() throws Exception {
        open(100);
        CompletableFuture.allOf(
                ledger.append(TestUsages.usage("late", Instant.parse("2026-11-24T23:59:59.999Z"))),
                ledger.append(TestUsages.usage("early", Instant.parse("2026-11-25T00:00:00Z"))),
                ledger.append(TestUsages.usage("late-again", Instant.parse("2026-11-24T23:59:59.9999Z"))))
                .get(5, TimeUnit.SECONDS);
        ledger.close(); // moves what the journal holds
        assertEquals(List.of("late", "late-again"), Files.readAllLines(dir.resolve("usage-2026-11-24.jsonl")).stream()
                .map(line -> LedgerEntry.parse(line).requestId()).toList());
        assertEquals("early", LedgerEntry.parse(Files.readString(dir.resolve("usage-2026-11-25.jsonl")).strip()).requestId());
    }

    @Test
    void concurrentAppendsLandExactlyOnce() throws Exception {
        open(100_000);
        int threads = 16;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            submitted.add(pool.submit(() -> {
                List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    futures.add(ledger.append(TestUsages.usage("t" + thread + "-" + i, AT.plusMillis(i))));
                }
                return futures;
            }));
        }
        for (var futures : submitted) {
            CompletableFuture.allOf(futures.get().toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        ledger.close();
        Map<String, Integer> counts = LedgerFiles.idCounts(LedgerFiles.entries(dir).stream());
        assertEquals(threads * perThread, counts.size());
        assertTrue(counts.values().stream().allMatch(count -> count == 1), "every line exactly once");
        assertEquals(0, dropped("queue_full"));
    }

    @Test
    void aQueuedLinesFutureCompletesOnlyOnceItsLineIsInTheFile() throws Exception {
        openWithoutJournal(10_000);
        Path file = dir.resolve("usage-2026-11-24.jsonl");
        Queue<String> missing = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> checked = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "check-" + i;
            // runs as the future completes (on the writer thread, or here when already complete)
            checked.add(ledger.append(TestUsages.usage(id, AT)).thenRun(() -> {
                try {
                    if (!Files.readString(file, StandardCharsets.UTF_8).contains("\"requestId\":\"" + id + "\"")) {
                        missing.add(id);
                    }
                } catch (Exception e) {
                    missing.add(id + ": " + e);
                }
            }));
        }
        CompletableFuture.allOf(checked.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(), List.copyOf(missing));
    }

    @Test
    void repairsATornLastLineAtStartUp() throws Exception {
        Path file = dir.resolve("usage-2026-11-24.jsonl");
        String whole = LedgerLine.encode(TestUsages.usage("whole", AT)) + "\n";
        String torn = LedgerLine.encode(TestUsages.usage("torn", AT)).substring(0, 57);
        Files.writeString(file, whole + torn);
        open(100).append(TestUsages.usage("after", AT)).get(5, TimeUnit.SECONDS);
        ledger.close();
        assertEquals(whole + LedgerLine.encode(TestUsages.usage("after", AT)) + "\n", Files.readString(file));
    }

    @Test
    void aFileThatIsOnlyATornLineIsEmptied() throws Exception {
        Path file = dir.resolve("usage-2026-11-23.jsonl");
        Files.writeString(file, "{\"ts\":\"2026-11-23T");
        open(100);
        assertEquals(0, Files.size(file));
    }

    @Test
    void aFullQueueFailsTheFutureAndCountsTheDrop() throws Exception {
        openWithoutJournal(3);
        CountDownLatch release = holdWriter();
        List<CompletableFuture<Void>> queued = List.of(ledger.append(TestUsages.usage("q1", AT)),
                ledger.append(TestUsages.usage("q2", AT)), ledger.append(TestUsages.usage("q3", AT)));
        CompletableFuture<Void> refused = ledger.append(TestUsages.usage("refused", AT));

        ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(1, TimeUnit.SECONDS));
        assertInstanceOf(LedgerWriteFailed.class, failure.getCause());
        assertEquals(1, dropped("queue_full"));
        release.countDown();
        CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertTrue(LedgerFiles.entries(dir).stream().noneMatch(entry -> entry.requestId().equals("refused")));
    }

    @Test
    void aLineNotWrittenWithinTheMaxWaitFailsItsFutureAndIsStillWrittenLater() throws Exception {
        open(TestLedgerConfig.in(dir).waitAtMost(Duration.ofMillis(300)).withoutJournal());
        CountDownLatch release = holdWriter(); // as a disk that does not answer would
        CompletableFuture<Void> stuck = ledger.append(TestUsages.usage("stuck", AT));

        ExecutionException failure = assertThrows(ExecutionException.class, () -> stuck.get(5, TimeUnit.SECONDS));
        assertInstanceOf(LedgerWriteFailed.class, failure.getCause());
        release.countDown();
        ledger.append(TestUsages.usage("after", AT)).get(5, TimeUnit.SECONDS);
        assertEquals(1, LedgerFiles.entries(dir).stream().filter(entry -> entry.requestId().equals("stuck")).count());
        assertEquals(0, dropped("queue_full") + dropped("io_error") + dropped("closed"));
    }

    @Test
    void anIdleWriterWritesAtOnceAndABusyOneGathersLinesForTheCommitInterval() throws Exception {
        open(TestLedgerConfig.in(dir).commitEvery(Duration.ofMillis(1500)).withoutJournal());
        long start = System.nanoTime();
        ledger.append(TestUsages.usage("first", AT)).get(5, TimeUnit.SECONDS);
        long firstWritten = System.nanoTime();
        ledger.append(TestUsages.usage("second", AT)).get(5, TimeUnit.SECONDS); // the writer is gathering now
        long secondWritten = System.nanoTime();

        assertTrue(TimeUnit.NANOSECONDS.toMillis(firstWritten - start) < 1000, "an idle writer does not wait");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(secondWritten - firstWritten) >= 1000,
                "a line arriving within the interval is written at its end");
    }

    @Test
    void aDiskThatKeepsFailingFailsAQueuedLinesFutureAfterRetries() throws Exception {
        Files.createDirectory(dir.resolve("usage-2026-11-24.jsonl")); // cannot be opened as a file
        openWithoutJournal(100);
        try (CapturedLog log = CapturedLog.of("dev.bedrocktenant.metering.ledger")) {
            CompletableFuture<Void> written = ledger.append(TestUsages.usage("r-1", AT));
            ExecutionException failure = assertThrows(ExecutionException.class, () -> written.get(10, TimeUnit.SECONDS));
            assertInstanceOf(LedgerWriteFailed.class, failure.getCause());
            assertEquals(1, dropped("io_error"));
            // the line is on record in the log instead, whole: it reads back as the line it would have been
            String prefix = "ledger line not written, kept here: ";
            List<LedgerEntry> kept = log.messages().stream().filter(m -> m.startsWith(prefix))
                    .map(m -> LedgerEntry.parse(m.substring(prefix.length()))).toList();
            assertEquals(List.of(LedgerEntry.of(TestUsages.usage("r-1", AT))), kept, log.messages().toString());
        }
        ledger.append(TestUsages.usage("next-day", AT.plus(Duration.ofDays(1)))).get(5, TimeUnit.SECONDS);
    }

    @Test
    void closeWritesEverythingQueuedThenRefuses() throws Exception {
        open(100_000);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            futures.add(ledger.append(TestUsages.usage("r-" + i, AT)));
        }
        ledger.close();
        for (CompletableFuture<Void> future : futures) {
            assertTrue(future.isDone() && !future.isCompletedExceptionally());
        }
        assertEquals(20_000, LedgerFiles.entries(dir).size());
        CompletableFuture<Void> late = ledger.append(TestUsages.usage("late", AT));
        assertTrue(late.isCompletedExceptionally());
        assertEquals(1, dropped("closed"));
    }

    @Test
    void aUsageThatCannotBeEncodedFailsItsFutureWithoutThrowing() {
        open(100);
        var broken = new dev.bedrocktenant.usage.Usage(AT, null, "acme", "m", java.util.Optional.empty(), "Converse",
                dev.bedrocktenant.usage.TokenUsage.NOT_REPORTED, java.math.BigDecimal.ZERO, true, 200,
                dev.bedrocktenant.usage.Outcome.SUCCESS, false, Duration.ZERO, java.util.Optional.empty());
        assertTrue(ledger.append(broken).isCompletedExceptionally());
    }

    @Test
    void aJournaledLineIsOnRecordAtOnceAndReachesItsDayFileWithinTheWritersRound() {
        open(100);
        assertTrue(ledger.append(TestUsages.usage("journaled", AT)).isDone(), "no wait for the writer");
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> idsIn(LedgerFiles.entries(dir)).contains("journaled"));
    }

    @Test
    void aJournalFillingUpWakesTheWriterBeforeItsRound() throws Exception {
        open(TestLedgerConfig.in(dir).fsyncEvery(Duration.ofHours(1)).journalOf(64 * 1024));
        awaitWriterIdle(); // else its first round, late on a slow machine, would move the line at once
        assertTrue(ledger.append(TestUsages.usage("first", AT)).isDone());
        Thread.sleep(300);
        assertEquals(List.of(), LedgerFiles.entries(dir), "the writer's round is an hour away");
        for (int i = 0; i < 64 * 1024 / 4 / LedgerLine.TYPICAL_BYTES * 2; i++) { // a quarter of the journal and more
            assertTrue(ledger.append(TestUsages.usage("burst-" + i, AT)).isDone());
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> idsIn(LedgerFiles.entries(dir)).contains("first"));
    }

    @Test
    void aReaderAskingTheWriterToCatchUpFindsEveryJournaledLineInItsDayFile() throws Exception {
        open(TestLedgerConfig.in(dir).fsyncEvery(Duration.ofHours(1)).journalOf(64 * 1024));
        awaitWriterIdle();
        assertTrue(ledger.append(TestUsages.usage("answered", AT)).isDone());
        assertTrue(ledger.append(TestUsages.usage("answered-too", AT)).isDone());
        Thread.sleep(300);
        assertEquals(List.of(), LedgerFiles.entries(dir), "left in the journal: the writer's round is an hour away");
        ledger.caughtUp().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("answered", "answered-too"), idsIn(LedgerFiles.entries(dir)));
        ledger.close();
        assertTrue(ledger.caughtUp().isDone(), "a closed ledger has nothing left to catch up");
    }

    @Test
    void aFullJournalSendsLinesThroughTheQueueAndNoLineIsLostOrDoubled() throws Exception {
        open(TestLedgerConfig.in(dir).journalOf(64 * 1024)); // ~190 lines
        // a line longer than the journal's largest record takes the queue, so its completion runs on the writer
        CountDownLatch release = holdWriter("holder-" + "x".repeat(9 * 1024));
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        int queued = 0;
        for (int i = 0; i < 3_000; i++) {
            CompletableFuture<Void> future = ledger.append(TestUsages.usage("full-" + i, AT));
            queued += future.isDone() ? 0 : 1;
            futures.add(future);
        }
        release.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        ledger.close();
        assertTrue(queued > 2_500, "the journal filled up while the writer was held; queued=" + queued);
        Map<String, Integer> counts = LedgerFiles.idCounts(LedgerFiles.entries(dir).stream()
                .filter(entry -> entry.requestId().startsWith("full-")));
        assertEquals(3_000, counts.size());
        assertTrue(counts.values().stream().allMatch(count -> count == 1), "every line exactly once");
        assertEquals(List.of(".lock", LedgerJournal.FILE_NAME, "usage-2026-11-24.jsonl"), filesIn(dir));
    }

    @Test
    void theWriterFollowsTheJournalRoundItsRingManyTimes() throws Exception {
        open(TestLedgerConfig.in(dir).journalOf(64 * 1024)); // ~190 lines: 2000 lines wrap it ten times
        for (int i = 0; i < 2_000; i++) {
            CompletableFuture<Void> line = ledger.append(TestUsages.usage("ring-" + i, AT));
            if (!line.isDone()) { // the journal is full: as a proxy would, wait for this one's write
                line.get(5, TimeUnit.SECONDS);
            }
        }
        ledger.close();
        assertEquals(2_000, LedgerFiles.idCounts(LedgerFiles.entries(dir).stream()).size());
        assertEquals(List.of(".lock", LedgerJournal.FILE_NAME, "usage-2026-11-24.jsonl"), filesIn(dir));
        assertEquals(0, dropped("io_error") + dropped("queue_full") + dropped("closed"));
    }

    /** Until every ledger writer (this test's, and any a Quarkus test left running) has gone idle. */
    private static void awaitWriterIdle() {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals("usage-ledger-writer"))
                .allMatch(thread -> Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getMethodName().equals("sleepUntilWoken"))));
    }

    private static List<String> filesIn(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void journaledLinesWaitOutAFailingDiskAndAreWrittenOnce() throws Exception {
        Path blocked = Files.createDirectory(dir.resolve("usage-2026-11-24.jsonl")); // cannot be opened as a file
        open(100);
        assertTrue(ledger.append(TestUsages.usage("waits", AT)).isDone());
        Thread.sleep(1_500); // the writer tries, fails, keeps the line in the journal
        Files.delete(blocked);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> idsIn(LedgerFiles.entries(dir)).contains("waits"));
        ledger.close();
        assertEquals(List.of("waits"), idsIn(LedgerFiles.entries(dir)));
        assertEquals(0, dropped("io_error"));
    }

    @Test
    void linesACrashLeftInTheJournalAreWrittenAtTheNextStart() throws Exception {
        LedgerJournal crashed = LedgerJournal.open(dir, 64 * 1024);
        for (String id : List.of("j1", "j2", "j3")) {
            assertTrue(crashed.append(DayFiles.dayOf(AT), (LedgerLine.encode(TestUsages.usage(id, AT)) + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        // no writer ever ran: as if the process died right after the requests
        open(100).close();
        assertEquals(List.of("j1", "j2", "j3"), idsIn(LedgerFiles.entries(dir)));
        open(100).close(); // and only once
        assertEquals(List.of("j1", "j2", "j3"), idsIn(LedgerFiles.entries(dir)));
    }

    @Test
    void aSecondLedgerOnTheSameDirectoryIsRefusedUntilTheFirstCloses() {
        open(100);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new UsageLedger(TestLedgerConfig.in(dir), registry));
        assertTrue(refused.getMessage().contains("in use by another running proxy"), refused.getMessage());
        ledger.close();
        open(100);
    }

    @Test
    void aJournalSizeThatIsNotAPowerOfTwoIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> open(TestLedgerConfig.in(dir).journalOf(100_000)));
    }

    private static List<String> idsIn(List<LedgerEntry> entries) {
        return entries.stream().map(LedgerEntry::requestId).toList();
    }

    /** Holds the writer thread inside a completion callback until the returned latch is released. */
    private CountDownLatch holdWriter() throws InterruptedException {
        return holdWriter("holder");
    }

    private CountDownLatch holdWriter(String requestId) throws InterruptedException {
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        for (int tries = 1; writerHeld.getCount() > 0; tries++) {
            assertTrue(tries <= 50, "the writer never ran a completion");
            ledger.append(TestUsages.usage(requestId, AT)).thenRun(() -> {
                if (Thread.currentThread().getName().equals("usage-ledger-writer") && writerHeld.getCount() > 0) {
                    writerHeld.countDown();
                    await(release);
                }
            });
            writerHeld.await(200, TimeUnit.MILLISECONDS);
        }
        return release;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
