package dev.bedrocktenant.metering.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class PerThreadTotalsTest {

    @Test
    void addsFromManyThreadsAtOnceSumExactly() throws Exception {
        PerThreadTotals totals = new PerThreadTotals(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 100_000; i++) {
                    totals.add(0, 1);
                    totals.add(1, 3);
                    totals.mine().add(new BigDecimal("0.0000001"));
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(600_000, totals.count(0));
        assertEquals(1_800_000, totals.count(1));
        assertEquals(new BigDecimal("0.0600000"), totals.decimal());
    }

    @Test
    void aThreadsAddsOutliveIt() throws Exception {
        PerThreadTotals totals = new PerThreadTotals(1);
        Thread gone = new Thread(() -> totals.add(0, 5));
        gone.start();
        gone.join();
        totals.add(0, 2);
        assertEquals(7, totals.count(0));
        assertEquals(BigDecimal.ZERO, totals.decimal());
    }
}
