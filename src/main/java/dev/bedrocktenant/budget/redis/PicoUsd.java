package dev.bedrocktenant.budget.redis;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * USD as Redis keeps it: whole 10^-12 USD, so that INCRBY adds money exactly (a Lua number is a double). A
 * token's price has at most 11 decimals in the bundled table; an amount finer than 10^-12 is rounded up when
 * counted and a budget rounded down, so that rounding can only refuse a request sooner, by under 10^-12 USD.
 * A 64-bit counter holds up to about 9.2 million USD per tenant and period.
 */
final class PicoUsd {

    static final int DECIMALS = 12;

    private PicoUsd() {
    }

    /** An amount used or reserved. */
    static long counted(BigDecimal usd) {
        return usd.movePointRight(DECIMALS).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** A budget. */
    static String limit(BigDecimal usd) {
        return usd.movePointRight(DECIMALS).setScale(0, RoundingMode.FLOOR).toPlainString();
    }

    static BigDecimal usd(String units) {
        BigDecimal usd = new BigDecimal(units).movePointLeft(DECIMALS).stripTrailingZeros();
        return usd.scale() < 0 ? usd.setScale(0) : usd;
    }
}
