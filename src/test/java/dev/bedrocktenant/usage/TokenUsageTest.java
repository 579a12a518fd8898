package dev.bedrocktenant.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenUsageTest {

    @Test
    void whatAResponseReportedIsWhatItUsedOutputOrNot() {
        TokenUsage reported = Tokens.of(25, 4, 40L, null);
        assertSame(reported, TokenUsage.used(reported, true));
        assertSame(reported, TokenUsage.used(reported, false));
    }

    @Test
    void noOutputAndNothingReportedIsZeroNotUnknown() {
        TokenUsage used = TokenUsage.used(TokenUsage.NOT_REPORTED, false);
        assertEquals(Tokens.of(0, 0, 0L, 0L), used);
        assertTrue(used.reported(), "known: the ledger writes 0, not null");
    }

    @Test
    void outputWhoseCountNeverArrivedIsUnknownNotZero() {
        TokenUsage used = TokenUsage.used(TokenUsage.NOT_REPORTED, true);
        assertFalse(used.reported());
        assertEquals(TokenUsage.NOT_REPORTED, used);
    }

    @Test
    void aKnownUsageLeavesNoCountUnknownButAnUnknownOneStaysUnknown() {
        assertEquals(Tokens.of(25, 4, 0L, 0L), TokenUsage.of(25, 4).unreportedAsZero());
        assertEquals(Tokens.of(25, 4, 40L, 0L), Tokens.of(25, 4, 40L, null).unreportedAsZero());
        assertEquals(TokenUsage.NOT_REPORTED, TokenUsage.NOT_REPORTED.unreportedAsZero());
    }

    @Test
    void onlyACountAboveZeroIsUsage() {
        assertFalse(TokenUsage.NONE.anyUsed());
        assertFalse(TokenUsage.NOT_REPORTED.anyUsed());
        assertFalse(Tokens.of(0, 0, 0L, null).anyUsed());
        assertTrue(Tokens.of(0, 0, null, 3L).anyUsed());
        assertTrue(TokenUsage.of(1, 0).anyUsed());
    }
}
