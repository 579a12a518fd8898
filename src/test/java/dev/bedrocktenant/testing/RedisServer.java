package dev.bedrocktenant.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (from PATH) on a free loopback port, without persistence: started by the test,
 * killed and started again on the same port when it asks, stopped at the end. Without redis-server the test is
 * skipped, except in CI ({@code CI=true}), where it fails: .ci/run installs it.
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
    }

    public static RedisServer start() {
        requireInstalled();
        RedisServer server = new RedisServer(freePort());
        server.restart();
        return server;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts it (again) on its port, empty, and waits until it answers PING. */
    public void restart() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "redis-" + port));
            process = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString()))
                    .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "redis.log")).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                if (pong()) {
                    return;
                }
                Thread.sleep(20);
            }
            kill();
            throw new IllegalStateException("redis-server did not answer on port " + port + "; see " + dir + "/redis.log");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no goodbye to its clients, nothing kept. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    /** One command, as redis-cli would send it: its reply as text (null for none). */
    public String call(String... command) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
            for (String arg : command) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            String line = readLine(in);
            if (line.startsWith("$")) {
                int length = Integer.parseInt(line.substring(1));
                return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
            return line.substring(1);
        } catch (IOException e) {
            throw new IllegalStateException("redis-server on port " + port + " did not answer", e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r' && c >= 0; c = in.read()) {
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }

    private boolean pong() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void requireInstalled() {
        boolean installed = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "redis-server")));
        if (!installed) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("redis-server is not on PATH; .ci/run installs it (Debian package redis-server)");
            }
            Assumptions.abort("redis-server is not on PATH (Debian package redis-server)");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
