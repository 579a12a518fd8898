package dev.bedrocktenant.proxy;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Keeps every log message on one line of printable text, whatever a caller put into a path, a header or a
 * model id: control characters (CR, LF, NUL, ESC…), Unicode line separators and invisible format characters
 * (bidi overrides) are written as {@code \n}, {@code \r}, {@code \t} or {@code \\uXXXX}. Done here, on the
 * formatted message of every record the handlers write (console, and a file log when one is turned on), so
 * no log call can forget it; a stack trace is printed apart by the formatter and is left as it is.
 * Escaping an already escaped message changes nothing, so a record passing two handlers stays as it was.
 */
@LoggingFilter(name = EscapedLogLines.NAME)
public final class EscapedLogLines implements Filter {

    public static final String NAME = "escape-control-characters";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            if (message != null && needsEscaping(message)) {
                ext.setMessage(escape(message), ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        }
        return true;
    }

    /** The text with every character that could break or disguise a log line escaped. */
    public static String escape(String text) {
        if (!needsEscaping(text)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        for (char unit : Character.toChars(c)) {
                            escaped.append(String.format("\\u%04x", (int) unit));
                        }
                    } else {
                        escaped.appendCodePoint(c);
                    }
                }
            }
        });
        return escaped.toString();
    }

    private static boolean needsEscaping(String text) {
        return text.codePoints().anyMatch(EscapedLogLines::unsafe);
    }

    private static boolean unsafe(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
