package dev.bedrocktenant.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The proxy's configuration keys an option defaults to, the first one set winning, so that a command sees
 * what the proxy beside it sees. Unset, the option's own {@code defaultValue} applies.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Setting {

    String[] value();
}
