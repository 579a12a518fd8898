package dev.bedrocktenant.simulator;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a request asks the simulator to behave: {@code [[sim:name=value]]} markers anywhere in the
 * raw request body, so tests and demo users drive it through an unmodified SDK (a marker inside a
 * prompt string travels untouched). The last occurrence of a name wins; an unknown name or a bad
 * value is an error, so that a typo never silently falls back to the default.
 *
 * @param error        answer with this restJson1 error shape instead (e.g. ThrottlingException)
 * @param inputTokens  reported input tokens (default: ceil(body bytes / 4))
 * @param outputTokens reported output tokens (default: the number of delta events)
 * @param cacheRead    reported cache-read input tokens (default: not reported)
 * @param cacheWrite   reported cache-write input tokens (default: not reported)
 * @param events       number of content delta events / text pieces (default 3)
 * @param pauseMs      pause between stream frames and before the stream ends (default 0)
 * @param delayMs      delay before the response starts (default 0)
 * @param streamError  after that many deltas, emit this exception event and end the stream
 * @param dropAfter    after that many deltas, write half of the next frame and drop the connection
 * @param servedTier   report this service tier as served (default: the tier asked for, else {@code default})
 * @param cacheWrite1h of the cache writes, this many with a one-hour TTL: the usage then splits the writes by TTL
 *                     (Converse's cacheDetails, Anthropic's cache_creation); cache writes default to this many
 * @param garbageAfter after that many deltas, write bytes that are no event-stream frame (a prelude declaring
 *                     an impossible length), then carry on as if nothing happened: a corrupted stream
 */
public record SimulatorDirectives(Optional<String> error, OptionalInt inputTokens, OptionalInt outputTokens,
                                  OptionalInt cacheRead, OptionalInt cacheWrite, int events, long pauseMs,
                                  long delayMs, Optional<StreamError> streamError, OptionalInt dropAfter,
                                  Optional<String> servedTier, OptionalInt cacheWrite1h, OptionalInt garbageAfter) {

    public static final int DEFAULT_EVENTS = 3;

    /** {@code [[sim:stream-error=member@K]]}: the event-stream exception member name and K. */
    public record StreamError(String member, int afterDeltas) {
    }

    private static final Pattern DIRECTIVE = Pattern.compile("\\[\\[sim:([a-z0-9-]+)=([^\\]]*)]]");
    private static final Pattern STREAM_ERROR = Pattern.compile("([A-Za-z]+)@(\\d+)");

    public static SimulatorDirectives none() {
        return new Parsed().directives();
    }

    /** @throws IllegalArgumentException on an unknown directive or a malformed value */
    public static SimulatorDirectives parse(String body) {
        Parsed d = new Parsed();
        if (body != null) {
            Matcher m = DIRECTIVE.matcher(body);
            while (m.find()) {
                d.set(m.group(1), m.group(2).trim());
            }
        }
        return d.directives();
    }

    /** The directives read so far: one field a name, so that a new directive is one line here. */
    private static final class Parsed {
        private Optional<String> error = Optional.empty();
        private OptionalInt inputTokens = OptionalInt.empty();
        private OptionalInt outputTokens = OptionalInt.empty();
        private OptionalInt cacheRead = OptionalInt.empty();
        private OptionalInt cacheWrite = OptionalInt.empty();
        private int events = DEFAULT_EVENTS;
        private long pauseMs;
        private long delayMs;
        private Optional<StreamError> streamError = Optional.empty();
        private OptionalInt dropAfter = OptionalInt.empty();
        private Optional<String> servedTier = Optional.empty();
        private OptionalInt cacheWrite1h = OptionalInt.empty();
        private OptionalInt garbageAfter = OptionalInt.empty();

        void set(String name, String value) {
            switch (name) {
                case "error" -> error = Optional.of(shapeName(value));
                case "input-tokens" -> inputTokens = count(name, value);
                case "output-tokens" -> outputTokens = count(name, value);
                case "cache-read" -> cacheRead = count(name, value);
                case "cache-write" -> cacheWrite = count(name, value);
                case "events" -> events = count(name, value).getAsInt();
                case "pause-ms" -> pauseMs = count(name, value).getAsInt();
                case "delay-ms" -> delayMs = count(name, value).getAsInt();
                case "stream-error" -> streamError = Optional.of(streamError(value));
                case "drop-after" -> dropAfter = count(name, value);
                case "served-tier" -> servedTier = Optional.of(tierName(value));
                case "cache-write-1h" -> cacheWrite1h = count(name, value);
                case "garbage-after" -> garbageAfter = count(name, value);
                default -> throw new IllegalArgumentException("unknown simulator directive [[sim:" + name + "=…]]");
            }
        }

        SimulatorDirectives directives() {
            return new SimulatorDirectives(error, inputTokens, outputTokens, cacheRead, cacheWrite, events, pauseMs,
                    delayMs, streamError, dropAfter, servedTier, cacheWrite1h, garbageAfter);
        }
    }

    private static OptionalInt count(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return OptionalInt.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("simulator directive " + name + " needs a non-negative integer, got '"
                + value + "'");
    }

    private static String shapeName(String value) {
        if (!value.matches("[A-Za-z]+")) {
            throw new IllegalArgumentException("simulator directive error needs an exception shape name");
        }
        return value.substring(0, 1).toUpperCase(Locale.ROOT) + value.substring(1);
    }

    private static String tierName(String value) {
        if (!value.matches("[a-z]+")) {
            throw new IllegalArgumentException("simulator directive served-tier needs a tier name such as flex");
        }
        return value;
    }

    private static StreamError streamError(String value) {
        Matcher m = STREAM_ERROR.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("simulator directive stream-error needs <memberName>@<K>");
        }
        // Accept the shape name too (ThrottlingException): the wire wants the union member name.
        String member = m.group(1).substring(0, 1).toLowerCase(Locale.ROOT) + m.group(1).substring(1);
        return new StreamError(member, Integer.parseInt(m.group(2)));
    }
}
