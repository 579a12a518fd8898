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
 * @param pauseMs      pause between stream frames (default 0)
 * @param delayMs      delay before the response starts (default 0)
 * @param streamError  after that many deltas, emit this exception event and end the stream
 * @param dropAfter    after that many deltas, write half of the next frame and drop the connection
 * @param garbageAfter after that many deltas, write bytes that are no event-stream frame (a prelude declaring
 *                     an impossible length), then carry on as if nothing happened: a corrupted stream
 */
public record SimulatorDirectives(Optional<String> error, OptionalInt inputTokens, OptionalInt outputTokens,
                                  OptionalInt cacheRead, OptionalInt cacheWrite, int events, long pauseMs,
                                  long delayMs, Optional<StreamError> streamError, OptionalInt dropAfter,
                                  OptionalInt garbageAfter) {

    public static final int DEFAULT_EVENTS = 3;

    /** {@code [[sim:stream-error=member@K]]}: the event-stream exception member name and K. */
    public record StreamError(String member, int afterDeltas) {
    }

    private static final Pattern DIRECTIVE = Pattern.compile("\\[\\[sim:([a-z-]+)=([^\\]]*)]]");
    private static final Pattern STREAM_ERROR = Pattern.compile("([A-Za-z]+)@(\\d+)");

    public static SimulatorDirectives none() {
        return new SimulatorDirectives(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), DEFAULT_EVENTS, 0, 0, Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
    }

    /** @throws IllegalArgumentException on an unknown directive or a malformed value */
    public static SimulatorDirectives parse(String body) {
        SimulatorDirectives d = none();
        if (body == null) {
            return d;
        }
        Matcher m = DIRECTIVE.matcher(body);
        while (m.find()) {
            d = d.with(m.group(1), m.group(2).trim());
        }
        return d;
    }

    private SimulatorDirectives with(String name, String value) {
        return switch (name) {
            case "error" -> new SimulatorDirectives(Optional.of(shapeName(value)), inputTokens, outputTokens, cacheRead,
                    cacheWrite, events, pauseMs, delayMs, streamError, dropAfter, garbageAfter);
            case "input-tokens" -> new SimulatorDirectives(error, count(name, value), outputTokens, cacheRead,
                    cacheWrite, events, pauseMs, delayMs, streamError, dropAfter, garbageAfter);
            case "output-tokens" -> new SimulatorDirectives(error, inputTokens, count(name, value), cacheRead,
                    cacheWrite, events, pauseMs, delayMs, streamError, dropAfter, garbageAfter);
            case "cache-read" -> new SimulatorDirectives(error, inputTokens, outputTokens, count(name, value),
                    cacheWrite, events, pauseMs, delayMs, streamError, dropAfter, garbageAfter);
            case "cache-write" -> new SimulatorDirectives(error, inputTokens, outputTokens, cacheRead,
                    count(name, value), events, pauseMs, delayMs, streamError, dropAfter, garbageAfter);
            case "events" -> new SimulatorDirectives(error, inputTokens, outputTokens, cacheRead, cacheWrite,
                    count(name, value).getAsInt(), pauseMs, delayMs, streamError, dropAfter, garbageAfter);
            case "pause-ms" -> new SimulatorDirectives(error, inputTokens, outputTokens, cacheRead, cacheWrite,
                    events, count(name, value).getAsInt(), delayMs, streamError, dropAfter, garbageAfter);
            case "delay-ms" -> new SimulatorDirectives(error, inputTokens, outputTokens, cacheRead, cacheWrite,
                    events, pauseMs, count(name, value).getAsInt(), streamError, dropAfter, garbageAfter);
            case "stream-error" -> new SimulatorDirectives(error, inputTokens, outputTokens, cacheRead, cacheWrite,
                    events, pauseMs, delayMs, Optional.of(streamError(value)), dropAfter, garbageAfter);
            case "drop-after" -> new SimulatorDirectives(error, inputTokens, outputTokens, cacheRead, cacheWrite,
                    events, pauseMs, delayMs, streamError, count(name, value), garbageAfter);
            case "garbage-after" -> new SimulatorDirectives(error, inputTokens, outputTokens, cacheRead, cacheWrite,
                    events, pauseMs, delayMs, streamError, dropAfter, count(name, value));
            default -> throw new IllegalArgumentException("unknown simulator directive [[sim:" + name + "=…]]");
        };
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
