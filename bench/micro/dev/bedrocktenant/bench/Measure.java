package dev.bedrocktenant.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** What the scale benchmarks read: the heap in use once garbage is collected, and the calling thread's CPU time. */
public final class Measure {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Measure() {
    }

    /** Bytes of heap in use after three collections: what live objects keep. */
    public static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * The calling thread's CPU time in ns: the machine is shared, and wall-clock time would count other processes'
     * turns (the garbage collector's threads are not counted; the heap figures show what is left behind).
     */
    public static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
