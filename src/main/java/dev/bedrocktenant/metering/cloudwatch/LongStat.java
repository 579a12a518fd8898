package dev.bedrocktenant.metering.cloudwatch;



/** Sample count, sum, minimum and maximum of whole numbers: what a CloudWatch StatisticSet carries. */
final class LongStat {

    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    void add(long value) {
        count++;
        sum += value;
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    long count() {
        return count;
    }

    long sum() {
        return sum;
    }

    long min() {
        return min;
    }

    long max() {
        return max;
    }
}
