package dev.bedrocktenant.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Every request the simulator received, oldest first, so tests can check what the proxy actually
 * sent upstream. Bounded, because the demo profile runs the simulator for as long as the proxy runs; benchmarks
 * keep none, so that the upstream they measure against is not slowed by its own collector.
 */
@Singleton
public class SimulatorJournal {

    private final int capacity;
    private final Deque<RecordedRequest> requests = new ArrayDeque<>();

    /** Remembers the last 10,000 requests. */
    public SimulatorJournal() {
        this(10_000);
    }

    @Inject
    SimulatorJournal(SimulatorConfig config) {
        this(config.journalSize());
    }

    SimulatorJournal(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("proxy.simulator.journal-size must be 0 or more, not " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized void record(RecordedRequest request) {
        if (capacity == 0) {
            return;
        }
        if (requests.size() == capacity) {
            requests.removeFirst();
        }
        requests.addLast(request);
    }

    /** A snapshot, oldest first. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized Optional<RecordedRequest> last() {
        return Optional.ofNullable(requests.peekLast());
    }

    public synchronized void clear() {
        requests.clear();
    }
}
