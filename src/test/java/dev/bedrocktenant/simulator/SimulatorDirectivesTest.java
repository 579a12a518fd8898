package dev.bedrocktenant.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class SimulatorDirectivesTest {

    @Test
    void defaultsWhenTheBodyHasNoDirective() {
        SimulatorDirectives d = SimulatorDirectives.parse("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}");
        assertEquals(SimulatorDirectives.none(), d);
        assertEquals(3, d.events());
        assertEquals(0, d.pauseMs());
        assertTrue(d.error().isEmpty());
        assertTrue(d.cacheRead().isEmpty());
    }

    @Test
    void readsEveryDirectiveAnywhereInTheBody() {
        SimulatorDirectives d = SimulatorDirectives.parse("{\"text\":\"[[sim:input-tokens=12]] hello [[sim:output-tokens=7]]"
                + "[[sim:cache-read=5]][[sim:cache-write=2]]\",\"x\":\"[[sim:events=9]][[sim:pause-ms=30]]"
                + "[[sim:delay-ms=40]][[sim:stream-error=throttlingException@2]][[sim:drop-after=4]]"
                + "[[sim:garbage-after=3]][[sim:error=ModelErrorException]][[sim:served-tier=flex]]\"}");
        assertEquals(OptionalInt.of(12), d.inputTokens());
        assertEquals(OptionalInt.of(7), d.outputTokens());
        assertEquals(OptionalInt.of(5), d.cacheRead());
        assertEquals(OptionalInt.of(2), d.cacheWrite());
        assertEquals(9, d.events());
        assertEquals(30, d.pauseMs());
        assertEquals(40, d.delayMs());
        assertEquals(Optional.of(new SimulatorDirectives.StreamError("throttlingException", 2)), d.streamError());
        assertEquals(OptionalInt.of(4), d.dropAfter());
        assertEquals(OptionalInt.of(3), d.garbageAfter());
        assertEquals(Optional.of("ModelErrorException"), d.error());
        assertEquals(Optional.of("flex"), d.servedTier());
    }

    @Test
    void lastOccurrenceWinsAndShapeNamesAreNormalised() {
        SimulatorDirectives d = SimulatorDirectives.parse("[[sim:events=2]] [[sim:events=5]] "
                + "[[sim:stream-error=ModelStreamErrorException@0]] [[sim:error=throttlingException]]");
        assertEquals(5, d.events());
        assertEquals("modelStreamErrorException", d.streamError().orElseThrow().member());
        assertEquals(0, d.streamError().orElseThrow().afterDeltas());
        assertEquals("ThrottlingException", d.error().orElseThrow());
    }

    @Test
    void rejectsTyposAndBadValues() {
        assertThrows(IllegalArgumentException.class, () -> SimulatorDirectives.parse("[[sim:event=3]]"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorDirectives.parse("[[sim:events=-1]]"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorDirectives.parse("[[sim:pause-ms=fast]]"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorDirectives.parse("[[sim:stream-error=oops]]"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorDirectives.parse("[[sim:error=Not An Error]]"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorDirectives.parse("[[sim:served-tier=Flex]]"));
    }

    @Test
    void ignoresTextThatOnlyLooksSimilar() {
        assertFalse(SimulatorDirectives.parse("[sim:events=4] [[simulate:events=4]] [[sim:events=4]").events() == 4);
        assertEquals(SimulatorDirectives.none(), SimulatorDirectives.parse(null));
    }
}
