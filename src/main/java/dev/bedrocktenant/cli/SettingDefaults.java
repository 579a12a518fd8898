package dev.bedrocktenant.cli;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Optional;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;

/** Defaults of options marked {@link Setting}: the first of their keys the environment has a value for. */
record SettingDefaults(CommandEnvironment environment) implements IDefaultValueProvider {

    /** @return null for no setting, so that the option's own default applies */
    @Override
    public String defaultValue(ArgSpec option) {
        Setting setting = option.userObject() instanceof Field field ? field.getAnnotation(Setting.class) : null;
        if (setting == null) {
            return null;
        }
        return Arrays.stream(setting.value()).map(environment::setting).flatMap(Optional::stream).findFirst().orElse(null);
    }
}
