package dev.bedrocktenant.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

import dev.bedrocktenant.usage.TokenUsage;
import org.junit.jupiter.api.Test;

/** The long arithmetic must give the very BigDecimal that ModelPrice's BigDecimal arithmetic gives. */
class TokenRatesTest {

    private final Random random = new Random(20261124);

    @Test
    void everyBundledPriceGivesTheSameCostAsBigDecimalArithmetic() {
        for (ModelPrice price : new PriceTable(Optional.empty()).prices().values()) {
            TokenRates rates = new TokenRates(price);
            for (int i = 0; i < 200; i++) {
                assertSameCost(price, rates, randomTokens());
            }
        }
    }

    @Test
    void randomPricesOfEveryScaleGiveTheSameCost() {
        for (int i = 0; i < 20_000; i++) {
            ModelPrice price = new ModelPrice(randomPrice(), randomPrice(), randomPrice(), randomPrice(), randomPrice(),
                    Map.of());
            assertSameCost(price, new TokenRates(price), randomTokens());
        }
    }

    @Test
    void zeroAndWholeCostsAreWrittenWithoutTrailingZeros() {
        ModelPrice price = new ModelPrice(new BigDecimal("2.50"), new BigDecimal("10.000"), BigDecimal.ZERO,
                new BigDecimal("1E+1"));
        TokenRates rates = new TokenRates(price);
        assertEquals("0", rates.costOf(TokenUsage.NOT_REPORTED).toPlainString());
        assertEquals("0", rates.costOf(TokenUsage.of(0, 0)).toPlainString());
        assertEquals("3", rates.costOf(TokenUsage.of(400_000, 200_000)).toPlainString());
        assertEquals("0.0000025", rates.costOf(TokenUsage.of(1, 0)).toPlainString());
        assertEquals("10", rates.costOf(new TokenUsage(OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.of(7), OptionalLong.of(1_000_000))).toPlainString());
    }

    @Test
    void overflowAndOutsizedPricesFallBackToExactBigDecimal() {
        ModelPrice ordinary = new ModelPrice(new BigDecimal("15"), new BigDecimal("75"), new BigDecimal("1.5"),
                new BigDecimal("18.75"));
        TokenUsage huge = TokenUsage.of(Long.MAX_VALUE / 3, Long.MAX_VALUE / 5); // products overflow a long
        assertSameCost(ordinary, new TokenRates(ordinary), huge);
        assertEquals(new BigDecimal("15").multiply(BigDecimal.valueOf(Long.MAX_VALUE / 3))
                .add(new BigDecimal("75").multiply(BigDecimal.valueOf(Long.MAX_VALUE / 5))).movePointLeft(6)
                .stripTrailingZeros(), new TokenRates(ordinary).costOf(huge).stripTrailingZeros());

        BigDecimal tooFine = new BigDecimal("0.0000000000000000000123"); // 22 decimals
        BigDecimal tooLarge = new BigDecimal("123456789012345678901234567890");
        for (ModelPrice odd : new ModelPrice[] {new ModelPrice(tooFine, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE),
                new ModelPrice(tooLarge, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE)}) {
            assertSameCost(odd, new TokenRates(odd), TokenUsage.of(1_000, 3));
        }
    }

    private static void assertSameCost(ModelPrice price, TokenRates rates, TokenUsage tokens) {
        BigDecimal expected = price.costOf(tokens);
        BigDecimal actual = rates.costOf(tokens);
        assertEquals(expected, actual, () -> price + " " + tokens); // equals: value and scale alike
    }

    private BigDecimal randomPrice() {
        long digits = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(100);
            case 2 -> random.nextInt(1_000_000);
            default -> random.nextLong() >>> (8 + random.nextInt(40));
        };
        return BigDecimal.valueOf(digits, random.nextInt(12) - 1);
    }

    private TokenUsage randomTokens() {
        OptionalLong writes = randomCount();
        // one-hour writes within the writes, mostly; now and then more than them (a response that does not add up)
        OptionalLong oneHour = writes.isEmpty() || random.nextInt(4) == 0 ? randomCount()
                : OptionalLong.of(random.nextLong(writes.getAsLong() + 1));
        return new TokenUsage(randomCount(), randomCount(), randomCount(), writes, oneHour);
    }

    private OptionalLong randomCount() {
        return switch (random.nextInt(5)) {
            case 0 -> OptionalLong.empty();
            case 1 -> OptionalLong.of(0);
            case 2 -> OptionalLong.of(random.nextInt(100));
            case 3 -> OptionalLong.of(random.nextInt(2_000_000));
            default -> OptionalLong.of(random.nextLong() >>> (20 + random.nextInt(40)));
        };
    }
}
