package dev.bedrocktenant.simulator;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access keys the simulator accepts, with their secrets: its own, and any a test adds (the temporary
 * credentials a fake STS issued), so that a test can see which principal the proxy signed with.
 */
final class AcceptedKeys {

    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    AcceptedKeys(String accessKeyId, String secretAccessKey) {
        secrets.put(accessKeyId, secretAccessKey);
    }

    void accept(String accessKeyId, String secretAccessKey) {
        secrets.put(accessKeyId, secretAccessKey);
    }

    Optional<String> secretOf(String accessKeyId) {
        return Optional.ofNullable(secrets.get(accessKeyId));
    }
}
