package io.postroom.testing.ds;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A DS component's configuration as Declarative Services hands it to the {@code @Activate}
 * constructor: an instance of the component's configuration annotation whose methods answer the
 * given properties, and the annotation's defaults for the others. Unlike DS, it converts nothing:
 * each value must already have its method's return type.
 */
public final class ComponentConfig {

    private ComponentConfig() {
    }

    /** The annotation's defaults. */
    public static <A extends Annotation> A defaults(Class<A> type) {
        return of(type, Map.of());
    }

    /** The given properties (by method name), the annotation's defaults for the others. */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> properties) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            Object value = properties.get(method.getName());
            return value != null ? value : method.getDefaultValue();
        }));
    }
}
