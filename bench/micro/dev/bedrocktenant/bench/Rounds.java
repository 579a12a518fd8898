package dev.bedrocktenant.bench;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * Runs one operation in 12 rounds of 2 million on 1 or more threads at once and prints each round's ns per
 * operation (each thread's own time, averaged over the threads: CPU per request when each thread has a core).
 * The threads are Netty's, as the event loops are, so that a {@code FastThreadLocal} takes its fast path. The
 * operation gets an index from 0 to 1023 to pick its input, and returns a number the loop adds up, so that the
 * JIT cannot drop the work.
 */
public final class Rounds {

    public static final int INPUTS = 1024;
    private static final int ROUNDS = 12;
    private static final long PER_ROUND = 2_000_000;

    /** One request's work on input {@code i}. */
    public interface Op {
        long run(int i);
    }

    private Rounds() {
    }

    /** @param args the variant's name, then optionally the number of threads (1 when absent) */
    public static int threads(String[] args) {
        return args.length > 1 ? Integer.parseInt(args[1]) : 1;
    }

    public static void run(int threads, Op op) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        long[][] nanos = new long[threads][ROUNDS];
        long[] sinks = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers[t] = new FastThreadLocalThread(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    await(start);
                    long began = System.nanoTime();
                    sinks[thread] += loop(op);
                    nanos[thread][round] = System.nanoTime() - began;
                    await(end);
                }
            }, "bench-" + t);
            workers[t].start();
        }
        for (int round = 0; round < ROUNDS; round++) {
            await(start);
            await(end);
            double sum = 0;
            for (long[] thread : nanos) {
                sum += thread[round];
            }
            System.out.printf("round %d: %.1f ns/op%n", round, sum / threads / PER_ROUND);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long sink = 0;
        for (long one : sinks) {
            sink += one;
        }
        System.out.println("checksum " + sink);
    }

    private static long loop(Op op) {
        long sink = 0;
        for (long i = 0; i < PER_ROUND; i++) {
            sink += op.run((int) (i & (INPUTS - 1)));
        }
        return sink;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }
}
