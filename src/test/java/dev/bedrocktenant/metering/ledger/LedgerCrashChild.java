package dev.bedrocktenant.metering.ledger;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;

import dev.bedrocktenant.metering.TestUsages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The process {@link LedgerCrashTest} kills: appends lines as fast as the ledger takes them and prints each
 * request id on stdout only after its future completed, i.e. once the ledger acknowledged it.
 */
public final class LedgerCrashChild {

    public static void main(String[] args) throws Exception {
        UsageLedger ledger = new UsageLedger(TestLedgerConfig.in(Path.of(args[0])).fsyncEvery(Duration.ofMillis(200)),
                new SimpleMeterRegistry());
        PrintStream acks = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        Thread flusher = new Thread(() -> {
            while (true) {
                acks.flush(); // an id still buffered here is simply not acknowledged to the parent
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ack-flusher");
        flusher.setDaemon(true);
        flusher.start();
        Semaphore inFlight = new Semaphore(20_000); // stay under the queue bound: nothing is dropped
        for (long i = 0; ; i++) {
            inFlight.acquire();
            String id = "crash-" + i;
            ledger.append(TestUsages.usage(id, Instant.now())).whenComplete((ok, failure) -> {
                if (failure == null) {
                    acks.print(id + "\n");
                }
                inFlight.release();
            });
        }
    }
}
