package dev.bedrocktenant.metering.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bedrocktenant.metering.TestUsages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerReaderTest {

    @TempDir
    Path dir;

    private static String line(String id, String at) {
        return LedgerLine.encode(TestUsages.usage(id, Instant.parse(at))) + "\n";
    }

    private List<String> ids(Instant from, Instant to) {
        try (var entries = new LedgerReader(dir).read(from, to)) {
            return entries.map(LedgerEntry::requestId).toList();
        }
    }

    @Test
    void readsTheDaysOverlappingTheRangeAndOnlyLinesInIt() throws Exception {
        Files.writeString(dir.resolve("usage-2026-11-23.jsonl"), line("a", "2026-11-23T23:00:00Z"));
        Files.writeString(dir.resolve("usage-2026-11-24.jsonl"),
                line("b", "2026-11-24T00:00:00Z") + line("c", "2026-11-24T12:00:00Z") + line("d", "2026-11-24T23:59:59.999Z"));
        Files.writeString(dir.resolve("usage-2026-11-25.jsonl"), line("e", "2026-11-25T00:00:00Z"));
        Files.writeString(dir.resolve("notes.txt"), "not a day file\n");

        assertEquals(List.of("b", "c", "d"), ids(Instant.parse("2026-11-24T00:00:00Z"), Instant.parse("2026-11-25T00:00:00Z")));
        assertEquals(List.of("a", "b"), ids(Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-24T12:00:00Z")));
        assertEquals(List.of("c", "d", "e"), ids(Instant.parse("2026-11-24T01:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")));
        assertEquals(List.of(), ids(Instant.parse("2026-11-24T12:00:00Z"), Instant.parse("2026-11-24T12:00:00Z")));
        assertEquals(List.of(), ids(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z")));
    }

    @Test
    void skipsTornAndForeignLines() throws Exception {
        String torn = line("torn", "2026-11-24T12:00:00Z");
        Files.writeString(dir.resolve("usage-2026-11-24.jsonl"), line("b", "2026-11-24T01:00:00Z") + "garbage\n\n"
                + line("c", "2026-11-24T02:00:00Z") + torn.substring(0, torn.length() / 2));
        assertEquals(List.of("b", "c"), ids(Instant.parse("2026-11-24T00:00:00Z"), Instant.parse("2026-11-25T00:00:00Z")));
    }

    @Test
    void readsBesideTheWriterWithoutFailing() throws Exception {
        Instant day = Instant.parse("2026-11-24T00:00:00Z");
        AtomicBoolean done = new AtomicBoolean();
        // one line at a time, each acknowledged once written (without the journal, which acknowledges at once and
        // would let all 50,000 finish before a first read ends), and no commit interval to wait out 50,000 times
        LedgerConfig config = TestLedgerConfig.in(dir).withoutJournal().fsyncEvery(Duration.ofMillis(50))
                .commitEvery(Duration.ZERO);
        try (UsageLedger ledger = new UsageLedger(config, new SimpleMeterRegistry())) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 50_000; i++) {
                    ledger.append(TestUsages.usage("w-" + i, day.plusMillis(i))).join();
                }
                done.set(true);
            });
            int reads = 0;
            long seen = 0;
            while (!done.get()) {
                long count;
                try (var entries = new LedgerReader(dir).read(day, day.plus(Duration.ofDays(1)))) {
                    count = entries.count();
                }
                assertTrue(count >= seen, "lines never disappear");
                seen = count;
                reads++;
            }
            writing.get(60, TimeUnit.SECONDS);
            assertTrue(reads > 1);
        }
        try (var entries = new LedgerReader(dir).read(day, day.plus(Duration.ofDays(1)))) {
            assertEquals(50_000, entries.count());
        }
    }

    @Test
    void refusesToReadOnAnEventLoop() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            vertx.runOnContext(ignored -> {
                try {
                    new LedgerReader(dir).read(Instant.EPOCH, Instant.now()).close();
                    thrown.complete(null);
                } catch (Throwable e) {
                    thrown.complete(e);
                }
            });
            assertInstanceOf(IllegalStateException.class, thrown.get(5, TimeUnit.SECONDS));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
