package dev.bedrocktenant.usage;

import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * One decoded frame of a Bedrock event stream, as its headers name it: an event of the stream union
 * ({@code :message-type: event}, member in {@code :event-type}) or an exception/error, which never
 * carries usage.
 */
record StreamEvent(boolean isEvent, String type, byte[] payload) {

    static StreamEvent of(Message frame) {
        String messageType = header(frame, ":message-type");
        boolean event = "event".equals(messageType);
        String type = header(frame, event ? ":event-type" : ":exception-type");
        return new StreamEvent(event, type == null ? "" : type, frame.getPayload());
    }

    boolean is(String eventType) {
        return isEvent && type.equals(eventType);
    }

    private static String header(Message frame, String name) {
        HeaderValue value = frame.getHeaders().get(name);
        return value == null ? null : value.getString();
    }
}
