package dev.bedrocktenant.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

/**
 * Every request the simulator received, oldest first, so tests can check what the proxy actually
 * sent upstream. Bounded, because the demo profile runs the simulator for as long as the proxy runs.
 */
@Singleton
public class SimulatorJournal {

    static final int CAPACITY = 10_000;

    private final Deque<RecordedRequest> requests = new ArrayDeque<>();

    public synchronized void record(RecordedRequest request) {
        if (requests.size() == CAPACITY) {
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
