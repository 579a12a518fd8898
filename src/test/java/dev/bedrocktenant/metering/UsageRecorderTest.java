package dev.bedrocktenant.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bedrocktenant.metering.cloudwatch.CloudWatchExporter;
import dev.bedrocktenant.metering.ledger.TestLedgerConfig;
import dev.bedrocktenant.metering.ledger.UsageLedger;
import dev.bedrocktenant.metering.prometheus.PrometheusUsageMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the relay waits for before a response's last bytes leave: the ledger's line, but never for long. */
class UsageRecorderTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30Z");

    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Vertx vertx = Vertx.vertx();
    private UsageLedger ledger;
    private UsageRecorder recorder;

    private void open(TestLedgerConfig config) {
        ledger = new UsageLedger(config, registry);
        recorder = new UsageRecorder(new PrometheusUsageMeters(registry, new TestMeteringConfig(10)),
                new CloudWatchExporter(null, null, registry, Clock.systemUTC()), ledger, registry);
    }

    @AfterEach
    void close() throws Exception {
        if (ledger != null) {
            ledger.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Records on an event loop, as the relay does; the future and the thread it completed on. */
    private CompletableFuture<String> recordOnEventLoop(String requestId, boolean[] doneAtOnce) {
        CompletableFuture<String> completedOn = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            Future<Void> recorded = recorder.record(TestUsages.usage(requestId, AT));
            doneAtOnce[0] = recorded.isComplete();
            recorded.onComplete(result -> completedOn.complete(
                    (result.succeeded() ? "succeeded on " : "failed on ") + Thread.currentThread().getName()));
        });
        return completedOn;
    }

    private double lateLines() {
        return registry.get("bedrock.tenant.ledger.late.lines").counter().count();
    }

    @Test
    void aLineTheJournalTookLetsTheResponseGoAtOnce() throws Exception {
        open(TestLedgerConfig.in(dir));
        boolean[] doneAtOnce = new boolean[1];
        String completedOn = recordOnEventLoop("r-1", doneAtOnce).get(5, TimeUnit.SECONDS);

        assertTrue(doneAtOnce[0], "no wait for the writer");
        assertTrue(completedOn.startsWith("succeeded on vert.x-eventloop"), completedOn);
        ledger.caughtUp().get(5, TimeUnit.SECONDS);
        assertEquals(1, LedgerFiles.entries(dir).stream().filter(entry -> entry.requestId().equals("r-1")).count());
        assertEquals(0, lateLines());
    }

    @Test
    void aLineTheWriterTakesIsConfirmedOnTheCallersEventLoopOnceWritten() throws Exception {
        open(TestLedgerConfig.in(dir).withoutJournal());
        boolean[] doneAtOnce = new boolean[1];
        String completedOn = recordOnEventLoop("r-1", doneAtOnce).get(5, TimeUnit.SECONDS);

        assertFalse(doneAtOnce[0], "waits for the write");
        assertTrue(completedOn.startsWith("succeeded on vert.x-eventloop"), completedOn);
        assertEquals(1, LedgerFiles.entries(dir).stream().filter(entry -> entry.requestId().equals("r-1")).count());
        assertEquals(0, lateLines());
    }

    @Test
    void aLineNotConfirmedWithinTheMaxWaitLetsTheResponseGoAndIsCountedLate() throws Exception {
        open(TestLedgerConfig.in(dir).withoutJournal().waitAtMost(Duration.ofMillis(300)));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        for (int tries = 1; held.getCount() > 0; tries++) { // as a disk that does not answer would
            assertTrue(tries <= 50, "the writer never ran a completion");
            ledger.append(TestUsages.usage("holder", AT)).thenRun(() -> {
                if (Thread.currentThread().getName().equals("usage-ledger-writer") && held.getCount() > 0) {
                    held.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            held.await(200, TimeUnit.MILLISECONDS);
        }

        boolean[] doneAtOnce = new boolean[1];
        String completedOn = recordOnEventLoop("stuck", doneAtOnce).get(5, TimeUnit.SECONDS);
        assertTrue(completedOn.startsWith("succeeded on vert.x-eventloop"), "never fails the response: " + completedOn);
        assertEquals(1, lateLines());
        release.countDown();
        ledger.caughtUp().get(5, TimeUnit.SECONDS);
        assertEquals(1, LedgerFiles.entries(dir).stream().filter(entry -> entry.requestId().equals("stuck")).count(),
                "still written once the disk answers");
    }
}
