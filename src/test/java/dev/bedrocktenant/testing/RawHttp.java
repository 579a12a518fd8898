package dev.bedrocktenant.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a bare socket, for what no well-behaved client will send (a path with broken
 * percent-encoding) and for hanging up on purpose mid-response.
 */
public final class RawHttp {

    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends one request with Connection: close and reads the whole response. */
    public static Response exchange(URL proxy, String method, String rawPath, Map<String, String> headers, String body)
            throws IOException {
        try (Socket socket = open(proxy, method, rawPath, headers, body)) {
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    /** Sends one request and returns the open socket, for a test that reads part and hangs up. */
    public static Socket open(URL proxy, String method, String rawPath, Map<String, String> headers, String body)
            throws IOException {
        Socket socket = new Socket(proxy.getHost(), proxy.getPort());
        socket.setSoTimeout(30_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + rawPath + " HTTP/1.1\r\n")
                .append("Host: ").append(proxy.getHost()).append(':').append(proxy.getPort()).append("\r\n")
                .append("Content-Length: ").append(bytes.length).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    /**
     * Sends the bytes exactly as given and returns everything the proxy answers until it closes the connection or
     * stays silent for {@code silence}, with {@code <EOF>} appended when it closed it.
     */
    public static String exchangeBytes(URL proxy, byte[] request, Duration silence) throws IOException {
        try (Socket socket = new Socket(proxy.getHost(), proxy.getPort())) {
            socket.setSoTimeout((int) silence.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(chunk)) >= 0; ) {
                    answer.write(chunk, 0, n);
                }
                answer.write("<EOF>".getBytes(StandardCharsets.US_ASCII));
            } catch (SocketTimeoutException silent) {
                // the connection stayed open
            } catch (SocketException reset) {
                answer.write("<EOF>".getBytes(StandardCharsets.US_ASCII));
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** The first response of what {@link #exchangeBytes} returned. */
    public static Response parse(String answer) {
        return parse(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads until the end of the response headers; returns the status line and headers. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
