package dev.bedrocktenant.pricing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.OptionalLong;

import dev.bedrocktenant.bench.Rounds;
import dev.bedrocktenant.usage.TokenUsage;

/**
 * Pricing one Converse request with the bundled table, as metering does: Claude 3 Haiku, 120 input, 40 output and
 * 30 cache-read tokens; the model id a String of its own each time, its hash already taken (the request's routing
 * looked it up). Variants, one per JVM: {@code memo} ({@link PriceTable#costOf}, through the thread's last model)
 * or {@code map} (the same through the table's map of resolved ids only).
 */
public final class PriceLookupBench {

    private static final MethodHandle LOOK_UP;

    static {
        try {
            LOOK_UP = MethodHandles.privateLookupIn(PriceTable.class, MethodHandles.lookup())
                    .findVirtual(PriceTable.class, "lookUp", MethodType.methodType(Optional.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static void main(String[] args) throws Throwable {
        PriceTable table = new PriceTable(Optional.empty());
        String[] models = new String[Rounds.INPUTS];
        for (int i = 0; i < models.length; i++) {
            models[i] = new String("anthropic.claude-3-haiku-20240307-v1:0".toCharArray());
            models[i].hashCode();
        }
        TokenUsage tokens = new TokenUsage(OptionalLong.of(120), OptionalLong.of(40), OptionalLong.of(30),
                OptionalLong.empty());
        Rounds.Op op = switch (args[0]) {
            case "memo" -> i -> table.costOf(models[i], tokens).usd().scale();
            case "map" -> i -> costOf(table, models[i], tokens).usd().scale();
            default -> throw new IllegalArgumentException("variant: memo or map");
        };
        if (!table.costOf(models[0], tokens).equals(costOf(table, models[0], tokens))) {
            throw new AssertionError("the two lookups disagree");
        }
        Rounds.run(Rounds.threads(args), op);
    }

    @SuppressWarnings("unchecked")
    private static PricedCost costOf(PriceTable table, String model, TokenUsage tokens) {
        Optional<TokenRates> rates;
        try {
            rates = (Optional<TokenRates>) (Optional<?>) LOOK_UP.invokeExact(table, model);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return rates.isPresent() ? new PricedCost(rates.get().costOf(tokens), true) : PricedCost.UNPRICED;
    }
}
