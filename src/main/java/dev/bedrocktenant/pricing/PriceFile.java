package dev.bedrocktenant.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One pricing file, read whole or not at all:
 * <pre>{"source": "…", "asOf": "…", "sources": {"aws-page": "…"},
 *  "models": {"&lt;model id&gt;": {"inputPerMillion": 0.25, "outputPerMillion": 1.25,
 *   "cacheReadPerMillion": 0.03, "cacheWritePerMillion": 0.30, "cacheWrite1hPerMillion": 0.50,
 *   "priority": {"inputPerMillion": …, "outputPerMillion": …, …}, "flex": {…},
 *   "source": ["aws-page"], "checked": "2026-12-03"}}}</pre>
 * Only {@code models} and each entry's input and output prices are required: an override file can be as short
 * as a list of prices. Cache prices are optional ({@link ModelPrice#of}); {@code source} and {@code asOf} are free
 * text; an entry's {@code source} names keys of {@code sources} and {@code checked} is a date ({@link Provenance}).
 * {@code priority} and {@code flex} are the prices of those service tiers, each with the price fields of an entry
 * and their rules; the entry's own prices are the default tier's.
 *
 * @param origin     where the file came from, for messages
 * @param source     where the numbers come from, as the file states it
 * @param asOf       the date the prices reflect, as the file states it
 * @param sources    descriptions of the sources entries cite, by key, in file order
 * @param models     prices by model id, in file order
 * @param provenance each model's sources and date, {@link Provenance#UNSTATED} where the entry gives none
 */
public record PriceFile(String origin, Optional<String> source, Optional<String> asOf, Map<String, String> sources,
                        Map<String, ModelPrice> models, Map<String, Provenance> provenance) {

    /** The table shipped in the jar. */
    public static final String BUNDLED = "/pricing/bedrock-on-demand-prices.json";

    private static final JsonMapper JSON = JsonMapper.builder()
            // a model written twice is a mistake, not "the last one wins"
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // prices are money: 0.30 stays exactly 0.30, never via double
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private static final Set<String> TOP_LEVEL = Set.of("source", "asOf", "sources", "models");
    private static final String INPUT = "inputPerMillion";
    private static final String OUTPUT = "outputPerMillion";
    private static final String CACHE_READ = "cacheReadPerMillion";
    private static final String CACHE_WRITE = "cacheWritePerMillion";
    private static final String CACHE_WRITE_1H = "cacheWrite1hPerMillion";
    private static final String CITED = "source";
    private static final String CHECKED = "checked";
    /** The service tiers an entry may price apart (Bedrock's own names); {@code default} is the entry itself. */
    static final List<String> TIERS = List.of("priority", "flex");
    private static final Set<String> TIER_FIELDS = Set.of(INPUT, OUTPUT, CACHE_READ, CACHE_WRITE, CACHE_WRITE_1H);
    private static final Set<String> ENTRY_FIELDS = Set.of(INPUT, OUTPUT, CACHE_READ, CACHE_WRITE, CACHE_WRITE_1H,
            TIERS.get(0), TIERS.get(1), CITED, CHECKED);

    public PriceFile {
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Just these prices, stating nothing about them. */
    public static PriceFile of(String origin, Map<String, ModelPrice> models) {
        Map<String, Provenance> unstated = new LinkedHashMap<>();
        models.keySet().forEach(id -> unstated.put(id, Provenance.UNSTATED));
        return new PriceFile(origin, Optional.empty(), Optional.empty(), Map.of(), models, unstated);
    }

    /** @throws InvalidPriceFile when the bundled table is missing or broken (a packaging bug) */
    public static PriceFile bundled() {
        try (InputStream in = PriceFile.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new InvalidPriceFile("bundled pricing table " + BUNDLED + " is missing from the jar");
            }
            PriceFile table = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled pricing table " + BUNDLED);
            if (table.models().isEmpty()) {
                throw new InvalidPriceFile(table.origin() + ": has no models");
            }
            return table;
        } catch (IOException e) {
            throw new InvalidPriceFile("bundled pricing table " + BUNDLED + " cannot be read: " + e);
        }
    }

    /** @throws InvalidPriceFile naming the file, also when it cannot be read */
    public static PriceFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidPriceFile("pricing file " + file + " cannot be read: " + e);
        }
        return parse(text, "pricing file " + file);
    }

    /** @param origin names the file in messages */
    public static PriceFile parse(String text, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new InvalidPriceFile(origin + ": not valid JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPriceFile(origin + ": must be a JSON object with a \"models\" object");
        }
        onlyKnownFields(root, TOP_LEVEL, origin + ": top level");
        JsonNode models = root.get("models");
        if (models == null || !models.isObject()) {
            throw new InvalidPriceFile(origin + ": has no \"models\" object");
        }
        Map<String, String> sources = sources(root.get("sources"), origin);
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        Map<String, Provenance> provenance = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String where = entryAt(entry.getKey(), entry.getValue(), origin);
            prices.put(entry.getKey(), price(entry.getValue(), where));
            provenance.put(entry.getKey(), provenance(entry.getValue(), sources.keySet(), where));
        }
        return new PriceFile(origin, text(root, "source", origin), text(root, "asOf", origin), sources, prices, provenance);
    }

    /** Checks an entry's id and shape; @return how messages name it */
    private static String entryAt(String id, JsonNode entry, String origin) {
        String where = origin + ": model '" + id + "'";
        if (id.isBlank() || !id.strip().equals(id)) {
            // a blank or padded id would never match a request: surely a typo
            throw new InvalidPriceFile(where + ": a model id must be non-blank, without surrounding spaces");
        }
        if (!entry.isObject()) {
            throw new InvalidPriceFile(where + ": must be an object of prices");
        }
        onlyKnownFields(entry, ENTRY_FIELDS, where);
        return where;
    }

    private static ModelPrice price(JsonNode entry, String where) {
        Map<String, ModelPrice> tiers = new LinkedHashMap<>();
        for (String tier : TIERS) {
            JsonNode prices = entry.get(tier);
            if (prices == null) {
                continue;
            }
            String tierWhere = where + ", tier '" + tier + "'";
            if (!prices.isObject()) {
                throw new InvalidPriceFile(tierWhere + ": must be an object of prices");
            }
            onlyKnownFields(prices, TIER_FIELDS, tierWhere);
            tiers.put(tier, prices(prices, tierWhere));
        }
        return prices(entry, where).withTiers(tiers);
    }

    private static ModelPrice prices(JsonNode entry, String where) {
        return ModelPrice.of(required(entry, INPUT, where), required(entry, OUTPUT, where),
                optional(entry, CACHE_READ, where), optional(entry, CACHE_WRITE, where),
                optional(entry, CACHE_WRITE_1H, where));
    }

    private static Map<String, String> sources(JsonNode node, String origin) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidPriceFile(origin + ": field 'sources' must be an object of descriptions by key");
        }
        Map<String, String> sources = new LinkedHashMap<>();
        node.fields().forEachRemaining(source -> {
            if (!source.getValue().isTextual() || source.getValue().asText().isBlank()) {
                throw new InvalidPriceFile(origin + ": source '" + source.getKey() + "' must be described by a non-empty string");
            }
            sources.put(source.getKey(), source.getValue().asText());
        });
        return sources;
    }

    /** An entry cites only sources the file describes: a citation nobody can look up traces nothing. */
    private static Provenance provenance(JsonNode entry, Set<String> known, String where) {
        JsonNode cited = entry.get(CITED);
        List<String> keys = new ArrayList<>();
        if (cited != null) {
            if (!cited.isArray() || cited.isEmpty()) {
                throw new InvalidPriceFile(where + ": field '" + CITED + "' must be a non-empty list of keys of 'sources'");
            }
            for (JsonNode key : cited) {
                if (!key.isTextual() || !known.contains(key.asText())) {
                    throw new InvalidPriceFile(where + ": source " + key + " is not a key of the file's 'sources' (known: "
                            + listed(known) + ")");
                }
                keys.add(key.asText());
            }
        }
        return new Provenance(keys, checked(entry.get(CHECKED), where));
    }

    private static Optional<LocalDate> checked(JsonNode value, String where) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value.isTextual() ? value.asText() : ""));
        } catch (DateTimeParseException e) {
            throw new InvalidPriceFile(where + ": field '" + CHECKED + "' must be a date written YYYY-MM-DD, was " + value);
        }
    }

    private static BigDecimal required(JsonNode entry, String field, String where) {
        return optional(entry, field, where)
                .orElseThrow(() -> new InvalidPriceFile(where + ": field '" + field + "' is required"));
    }

    private static Optional<BigDecimal> optional(JsonNode entry, String field, String where) {
        JsonNode value = entry.get(field);
        if (value == null) {
            return Optional.empty();
        }
        // a quoted "0.25" or null is refused rather than guessed at
        if (!value.isNumber()) {
            throw new InvalidPriceFile(where + ": field '" + field + "' must be a number of USD per million tokens, was " + value);
        }
        BigDecimal price = value.decimalValue();
        if (price.signum() < 0) {
            throw new InvalidPriceFile(where + ": field '" + field + "' must not be negative, was " + price.toPlainString());
        }
        return Optional.of(price);
    }

    private static void onlyKnownFields(JsonNode node, Set<String> known, String where) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new InvalidPriceFile(where + ": unknown field '" + name + "' (known: "
                        + listed(known) + ")");
            }
        });
    }

    private static String listed(Set<String> names) {
        return String.join(", ", names.stream().sorted().toList());
    }

    private static Optional<String> text(JsonNode root, String field, String origin) {
        JsonNode value = root.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidPriceFile(origin + ": field '" + field + "' must be a string");
        }
        return Optional.of(value.asText());
    }
}
