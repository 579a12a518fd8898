package dev.bedrocktenant.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class SimulatorJournalTest {

    @Test
    void keepsTheNewestRequestsUpToItsSize() {
        SimulatorJournal journal = new SimulatorJournal(2);
        List.of("/a", "/b", "/c").forEach(path -> journal.record(request(path)));
        assertEquals(List.of("/b", "/c"), journal.requests().stream().map(RecordedRequest::rawPath).toList());
        assertEquals("/c", journal.last().orElseThrow().rawPath());
    }

    @Test
    void aSizeOfZeroKeepsNone() {
        SimulatorJournal journal = new SimulatorJournal(0);
        journal.record(request("/a"));
        assertEquals(List.of(), journal.requests());
        assertEquals(Optional.empty(), journal.last());
        assertThrows(IllegalArgumentException.class, () -> new SimulatorJournal(-1));
    }

    private static RecordedRequest request(String path) {
        return new RecordedRequest("Converse", "POST", path, null, null, MultiMap.caseInsensitiveMultiMap(), new byte[0],
                true, new CompletableFuture<>());
    }
}
