package io.postroom.testing.ds;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentConfigTest {

    @Retention(RetentionPolicy.RUNTIME)
    @interface Config {
        int port() default 143;

        String[] hosts() default {"127.0.0.1"};
    }

    @Test
    void propertiesOverrideTheDefaults() {
        Config defaults = ComponentConfig.defaults(Config.class);
        assertThat(defaults.port()).isEqualTo(143);
        assertThat(defaults.hosts()).containsExactly("127.0.0.1");
        assertThat(defaults.annotationType()).isEqualTo(Config.class);

        Config c = ComponentConfig.of(Config.class, Map.of("port", 993));
        assertThat(c.port()).isEqualTo(993);
        assertThat(c.hosts()).containsExactly("127.0.0.1");
    }
}
