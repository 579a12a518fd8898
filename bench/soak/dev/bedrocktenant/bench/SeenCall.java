package dev.bedrocktenant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.bedrocktenant.usage.Outcome;

/**
 * One call as the soak's client saw it: the request id it received, what it asked for, and the outcome, partial
 * flag and HTTP status the ledger must hold for it. One tab-separated line each in the calls file.
 */
record SeenCall(String requestId, String kind, Outcome outcome, boolean partial, int status) {

    String line() {
        return requestId + "\t" + kind + "\t" + outcome.name() + "\t" + partial + "\t" + status;
    }

    static SeenCall parse(String line) {
        String[] f = line.split("\t");
        return new SeenCall(f[0], f[1], Outcome.valueOf(f[2]), Boolean.parseBoolean(f[3]), Integer.parseInt(f[4]));
    }

    static List<SeenCall> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(SeenCall::parse).toList();
    }
}
