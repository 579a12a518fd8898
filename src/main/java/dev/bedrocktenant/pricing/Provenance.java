package dev.bedrocktenant.pricing;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one entry's prices come from, as its pricing file states it, so that a figure on a bill can be traced
 * back and re-checked. The bundled table states both for every entry; an override file may state neither.
 *
 * @param sources keys of the file's {@code sources} whose figures the entry agrees with
 * @param checked the day the figures were last compared with those sources
 */
public record Provenance(List<String> sources, Optional<LocalDate> checked) {

    public static final Provenance UNSTATED = new Provenance(List.of(), Optional.empty());

    public Provenance {
        sources = List.copyOf(sources);
        Objects.requireNonNull(checked, "checked");
    }
}
