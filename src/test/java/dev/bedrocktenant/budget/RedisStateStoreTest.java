package dev.bedrocktenant.budget;

import java.time.Duration;

import dev.bedrocktenant.budget.redis.Sidecars;
import dev.bedrocktenant.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Two sidecars' stores over one real redis-server, against the contract. */
class RedisStateStoreTest extends StateStoreContract {

    private static RedisServer server;
    private static Sidecars sidecars;

    @BeforeAll
    static void start() {
        server = RedisServer.start();
        sidecars = new Sidecars(server, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        sidecars.close();
        server.close();
    }

    @Override
    StateStore[] stores() {
        return new StateStore[] {sidecars.first().store(), sidecars.second().store()};
    }
}
