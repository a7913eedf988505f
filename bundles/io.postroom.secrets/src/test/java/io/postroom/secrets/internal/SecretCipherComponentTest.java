package io.postroom.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.Secret;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherComponentTest {
    @TempDir
    Path dir;
    private final String previousKarafEtc = System.getProperty("karaf.etc");

    @AfterEach
    void restore() {
        if (previousKarafEtc == null) {
            System.clearProperty("karaf.etc");
        } else {
            System.setProperty("karaf.etc", previousKarafEtc);
        }
    }

    static SecretCipherComponent.Config config(String keyFile) {
        return (SecretCipherComponent.Config) Proxy.newProxyInstance(SecretCipherComponent.Config.class.getClassLoader(),
                new Class<?>[] {SecretCipherComponent.Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return SecretCipherComponent.Config.class;
                    }
                    return keyFile != null ? keyFile : method.getDefaultValue();
                });
    }

    @Test
    void theDefaultKeyFileLivesInKarafEtc() {
        System.setProperty("karaf.etc", dir.toString());
        SecretCipherComponent component = new SecretCipherComponent(config(null));
        assertThat(dir.resolve("postroom-secret.key")).exists();
        assertThat(component.decrypt(component.encrypt(Secret.of("secret"))).reveal()).isEqualTo("secret");
    }

    @Test
    void withoutKarafEtcTheWorkingDirectoryIsUsed() {
        System.clearProperty("karaf.etc");
        assertThat(SecretCipherComponent.resolve("${karaf.etc}/postroom-secret.key"))
                .isEqualTo(Path.of("").toAbsolutePath().resolve("postroom-secret.key"));
    }

    @Test
    void otherSystemPropertiesAreResolvedAndUnknownOnesNamed() {
        System.setProperty("karaf.etc", "/opt/karaf/etc");
        assertThat(SecretCipherComponent.resolve("${karaf.etc}/keys/../postroom.key")).isEqualTo(Path.of("/opt/karaf/etc/postroom.key"));
        assertThat(SecretCipherComponent.resolve("${java.io.tmpdir}/k")).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "k"));
        assertThatThrownBy(() -> SecretCipherComponent.resolve("${no.such.property}/k"))
                .hasMessageContaining("${no.such.property}").hasMessageContaining("io.postroom.secrets");
    }

    @Test
    void anExplicitKeyFileIsUsed() {
        Path file = dir.resolve("cluster/postroom.key");
        SecretCipherComponent a = new SecretCipherComponent(config(file.toString()));
        SecretCipherComponent b = new SecretCipherComponent(config(file.toString()));
        assertThat(file).exists();
        assertThat(b.decrypt(a.encrypt(Secret.of("shared"))).reveal()).isEqualTo("shared");
    }
}
