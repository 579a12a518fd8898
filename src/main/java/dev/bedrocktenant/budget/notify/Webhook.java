package dev.bedrocktenant.budget.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs each message's JSON to a URL (a Slack incoming webhook, or any receiver): a 2xx answer takes it; 408,
 * 429, 5xx and no answer may pass later, other statuses never will. The URL may hold a token (Slack's do), so
 * only its scheme and host are ever shown.
 */
final class Webhook implements Destination {

    private final URI url;
    private final Duration timeout;
    private final HttpClient http;

    Webhook(URI url, Duration timeout) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            // the URL itself is not repeated: it may hold a token
            throw new IllegalArgumentException("proxy.notify.webhook-url must be an absolute http or https URL");
        }
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public CompletableFuture<Void> deliver(AlertMessage message) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(message.json()))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            if (error != null) {
                Throwable cause = DeliveryFailure.causeOf(error);
                // the exception's type only: a message might quote the URL
                throw new DeliveryFailure(cause.getClass().getSimpleName(), true);
            }
            int status = response.statusCode();
            if (status / 100 != 2) {
                throw new DeliveryFailure("HTTP " + status, status == 408 || status == 429 || status >= 500);
            }
            return null;
        });
    }

    /** The URL as logs show it: {@code https://hooks.example.com/…}. */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
    }

    @Override
    public String toString() {
        return "webhook " + shown(url);
    }

    @Override
    public void close() {
        // a JDK 17 HttpClient has no close: its threads end once it is unreachable
    }
}
