package dev.bedrocktenant.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command line: words, {@code --option value} pairs and {@code --flag}s. */
record CliOptions(List<String> words, Map<String, String> values, Set<String> flags) {

    private static final Set<String> WITH_VALUE = Set.of("--endpoint", "--region", "--tenants", "--tenant", "--tag-key",
            "--name-prefix", "--models");
    private static final Set<String> FLAGS = Set.of("--dry-run", "--write-back");

    /** @throws IllegalArgumentException for an unknown option or one without its value */
    static CliOptions parse(String[] args) {
        List<String> words = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (WITH_VALUE.contains(name)) {
                if (!name.equals(arg)) {
                    values.put(name, arg.substring(name.length() + 1));
                } else if (i + 1 < args.length) {
                    values.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
            } else if (FLAGS.contains(arg)) {
                flags.add(arg);
            } else if (arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + arg);
            } else {
                words.add(arg);
            }
        }
        return new CliOptions(List.copyOf(words), Map.copyOf(values), Set.copyOf(flags));
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The option, else the proxy's own setting: system property, then environment variable. */
    Optional<String> valueOrSetting(String option, String property) {
        return value(option).or(() -> setting(property));
    }

    static Optional<String> setting(String property) {
        String env = property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        return Optional.ofNullable(System.getProperty(property)).or(() -> Optional.ofNullable(System.getenv(env)))
                .filter(v -> !v.isBlank());
    }
}
