package dev.bedrocktenant.pricing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.profile.ModelId;
import dev.bedrocktenant.usage.TokenUsage;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The prices in force: the bundled table, with the entries of {@code proxy.pricing-file} added or
 * replacing it per model id (a replaced entry is replaced whole). Loaded once at start-up; a broken
 * table or override file stops start-up rather than bill at wrong prices.
 *
 * <p>A model is priced by the most specific entry that exists, so that the routing a request actually
 * used decides its price:
 * <ol>
 *   <li>the id as called ({@code global.anthropic.claude-sonnet-4-5-…} has an entry of its own, cheaper than
 *       the in-Region price);</li>
 *   <li>for a system inference profile ARN, the profile id it names ({@code global.…}, {@code us.…});</li>
 *   <li>the base model id, per {@link ModelId#baseModelId()} (foundation-model ARNs, profiles): for a model
 *       with a global/regional split the bare id carries the in-Region price, which is also what a
 *       geographic profile ({@code us.}, {@code eu.}, {@code jp.}…) costs.</li>
 * </ol>
 * An application inference profile ARN names no model: callers pass the model id the application
 * asked for (what the profile copies), not the ARN the request was routed to.
 */
@Startup
@Singleton
public class PriceTable {

    private static final Logger LOG = Logger.getLogger(PriceTable.class);

    /**
     * Model ids whose lookup is remembered, so the id parsing is not redone on every request. (Remembering each
     * thread's last model too saved under 1 ns a request: bench/README.md.)
     */
    static final int MAX_REMEMBERED_IDS = 10_000;

    private final Map<String, ModelPrice> prices;
    private final Map<String, Optional<TokenRates>> resolved = new java.util.concurrent.ConcurrentHashMap<>();
    private final Optional<String> bundledAsOf;
    @Inject
    PriceTable(PricingConfig config) {
        this(config.pricingFile());
        LOG.infof("Pricing: %d models, bundled table as of %s%s", prices.size(), bundledAsOf.orElse("an unstated date"),
                config.pricingFile().map(f -> ", with entries added or replaced by " + f).orElse(""));
    }

    /** The bundled table, plus the override file when given. @throws InvalidPriceFile */
    public PriceTable(Optional<Path> overrideFile) {
        this(PriceFile.bundled(), overrideFile.map(PriceFile::read));
    }

    public PriceTable(PriceFile bundled, Optional<PriceFile> override) {
        Map<String, ModelPrice> merged = new LinkedHashMap<>(bundled.models());
        override.ifPresent(o -> merged.putAll(o.models()));
        this.prices = Collections.unmodifiableMap(merged);
        this.bundledAsOf = bundled.asOf();
    }

    /** Exactly these prices, nothing bundled: for tests of what reads the table. */
    public static PriceTable of(Map<String, ModelPrice> prices) {
        return new PriceTable(PriceFile.of("given prices", prices), Optional.empty());
    }

    /** The date the bundled table's prices reflect, as it states it. */
    public Optional<String> bundledAsOf() {
        return bundledAsOf;
    }

    /** Every entry, by model id as written in the files. */
    public Map<String, ModelPrice> prices() {
        return prices;
    }

    /** The most specific price for a model id as the application asked for it. */
    public Optional<ModelPrice> priceOf(String modelId) {
        Optional<TokenRates> rates = ratesOf(modelId);
        return rates.isPresent() ? Optional.of(rates.get().price()) : Optional.empty();
    }

    /**
     * The exact cost of a request's tokens; zero and {@code priced = false} for a model without a price.
     *
     * @param modelId the model id the application asked for (for an application inference profile: the
     *                model or system profile it copies)
     */
    public PricedCost costOf(String modelId, TokenUsage tokens) {
        Optional<TokenRates> rates = ratesOf(modelId);
        return rates.isPresent() ? new PricedCost(rates.get().costOf(tokens), true) : PricedCost.UNPRICED;
    }

    /**
     * As {@link #costOf(String, TokenUsage)}, at the prices of the service tier Bedrock served the request in
     * ({@code default}, or no tier reported: the model's own prices). A tier the model has no prices for is
     * priced at the default tier's and marked {@code tierPriced = false}: the model is priced, so the request is
     * not unpriced (counted at zero), and the default prices are the nearest figure there is.
     */
    public PricedCost costOf(String modelId, TokenUsage tokens, Optional<String> servedTier) {
        if (servedTier.isEmpty() || servedTier.get().equals(ModelPrice.DEFAULT_TIER)) {
            return costOf(modelId, tokens);
        }
        Optional<TokenRates> rates = ratesOf(modelId);
        if (rates.isEmpty()) {
            return PricedCost.UNPRICED;
        }
        TokenRates tier = rates.get().inTier(servedTier.get());
        return tier == null ? new PricedCost(rates.get().costOf(tokens), true, false)
                : new PricedCost(tier.costOf(tokens), true);
    }

    private Optional<TokenRates> ratesOf(String modelId) {
        if (modelId == null) {
            return Optional.empty();
        }
        Optional<TokenRates> known = resolved.get(modelId);
        if (known != null) {
            return known;
        }
        if (modelId.isBlank()) { // (after the lookup: the check walks the id, and every request asks)
            return Optional.empty();
        }
        Optional<TokenRates> rates = candidates(modelId).stream().map(prices::get).filter(p -> p != null)
                .findFirst().map(TokenRates::new);
        if (resolved.size() < MAX_REMEMBERED_IDS) { // ids come from applications: never an unbounded map
            resolved.put(modelId, rates);
        }
        return rates;
    }

    /** Ids to look up, most specific first. */
    static List<String> candidates(String modelId) {
        ModelId id = ModelId.parse(modelId);
        List<String> ids = new ArrayList<>();
        ids.add(modelId);
        if (id.kind() == ModelId.Kind.SYSTEM_INFERENCE_PROFILE_ARN) {
            // …:inference-profile/us.anthropic… is priced as us.anthropic… when that has its own entry
            ids.add(modelId.substring(modelId.indexOf('/') + 1));
        }
        id.baseModelId().filter(base -> !ids.contains(base)).ifPresent(ids::add);
        return ids;
    }
}
