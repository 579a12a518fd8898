package dev.bedrocktenant.nativeimage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

/**
 * Classes registered by name are not checked by the compiler: after a dependency upgrade renames one, its
 * registration silently registers nothing and only the native executable fails.
 */
class ReflectionRegistrationsTest {

    @Test
    void everyRegisteredClassNameExists() {
        for (Class<?> holder : new Class<?>[] { AgronaJournalFields.class, StsCredentialFactories.class }) {
            String[] names = holder.getAnnotation(RegisterForReflection.class).classNames();
            assertTrue(names.length > 0, holder.getSimpleName());
            for (String name : names) {
                assertDoesNotThrow(() -> Class.forName(name, false, getClass().getClassLoader()),
                        holder.getSimpleName() + " registers " + name + ", which is not on the classpath");
            }
        }
    }
}
