package dev.bedrocktenant.metering.cloudwatch;

import java.math.BigDecimal;

/** {@link LongStat} for money: summed exactly, turned into a double only when sent. */
final class DecimalStat {

    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private BigDecimal min;
    private BigDecimal max;

    void add(BigDecimal value) {
        count++;
        sum = sum.add(value);
        min = min == null || value.compareTo(min) < 0 ? value : min;
        max = max == null || value.compareTo(max) > 0 ? value : max;
    }

    long count() {
        return count;
    }

    BigDecimal sum() {
        return sum;
    }

    BigDecimal min() {
        return min;
    }

    BigDecimal max() {
        return max;
    }
}
