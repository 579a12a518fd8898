package dev.bedrocktenant.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class EscapedLogLinesTest {

    private static String logged(String format, Object... parameters) {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, format, ExtLogRecord.FormatStyle.PRINTF, EscapedLogLinesTest.class.getName());
        record.setParameters(parameters);
        assertTrue(new EscapedLogLines().isLoggable(record), "nothing is dropped");
        return record.getFormattedMessage();
    }

    @Test
    void aRequestValueCannotBreakOrDisguiseALogLine() {
        assertEquals("model=claude\\u0000\\r\\n2026-12-03 INFO forged tenant=acme\\u001b[31m",
                logged("model=%s tenant=%s", "claude\u0000\r\n2026-12-03 INFO forged", "acme\u001b[31m"));
        assertEquals("tenant=acme\\u202egnp.exe\\u2028\\t", logged("tenant=%s", "acme\u202egnp.exe\u2028\t"));
    }

    @Test
    void printableTextAndUnicodeLettersStayAsTheyAre() {
        assertEquals("tenant=acmé model=anthropic.claude-3:0 \\ stays", logged("tenant=%s model=%s \\ stays", "acmé",
                "anthropic.claude-3:0"));
    }

    @Test
    void escapingTwiceChangesNothing() {
        String once = EscapedLogLines.escape("a\r\nb\u0000");
        assertEquals(once, EscapedLogLines.escape(once));
    }
}
