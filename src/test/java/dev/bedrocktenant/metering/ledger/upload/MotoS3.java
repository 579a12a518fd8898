package dev.bedrocktenant.metering.ledger.upload;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real S3-compatible server for tests: moto's {@code moto_server} (from PATH) on a free loopback port, in memory,
 * started by the test and stopped at its end. An implementation written apart from {@link FakeS3}, so that what
 * the uploader sends is checked against S3's rules as someone else read them. Without moto_server the test is
 * skipped (CI does not install it; {@link FakeS3} covers the same ground there).
 */
final class MotoS3 implements AutoCloseable {

    private final int port;
    private final Process process;

    private MotoS3(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static MotoS3 start() {
        Assumptions.assumeTrue(onPath("moto_server"), "moto_server not installed");
        int port = freePort();
        try {
            Path log = Files.createDirectories(Path.of("target", "moto-" + port)).resolve("moto.log");
            Process process = new ProcessBuilder(List.of("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port)))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MotoS3 moto = new MotoS3(port, process);
            moto.awaitAnswer();
            return moto;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint().resolve("/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(200);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("moto_server did not answer on port " + port + " (target/moto-" + port + "/moto.log)");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
