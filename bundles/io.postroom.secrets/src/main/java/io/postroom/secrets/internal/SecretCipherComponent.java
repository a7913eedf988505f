package io.postroom.secrets.internal;

import io.postroom.api.Secret;
import io.postroom.secrets.SecretCipher;
import io.postroom.secrets.SecretCiphers;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link SecretCipher} service, with its key file configured through {@code io.postroom.secrets}. */
@Component(service = SecretCipher.class, configurationPid = SecretCipherComponent.PID)
@Designate(ocd = SecretCipherComponent.Config.class)
public final class SecretCipherComponent implements SecretCipher {
    static final String PID = "io.postroom.secrets";
    private static final Logger LOG = LoggerFactory.getLogger(SecretCipherComponent.class);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    @ObjectClassDefinition(id = PID, name = "Postroom secrets",
            description = "Encryption of mailbox passwords at rest (AES-256-GCM). The key lives in a file outside the"
                    + " database, created with owner-only permissions on first start. Every node of a cluster must"
                    + " have a copy of the same key file, and the file must be backed up apart from the database:"
                    + " without it the stored passwords cannot be read.")
    public @interface Config {
        @AttributeDefinition(name = "Key file",
                description = "Path of the key file; ${karaf.etc} and other ${system.property} references are"
                        + " resolved. Copy this file from the first node to every other node of a cluster.")
        String keyFile() default "${karaf.etc}/postroom-secret.key";
    }

    private final SecretCipher cipher;

    @Activate
    public SecretCipherComponent(Config config) {
        Path keyFile = resolve(config.keyFile());
        this.cipher = SecretCiphers.fromKeyFile(keyFile);
        LOG.info("Passwords are sealed with {} from {}", cipher, keyFile);
    }

    /** Replaces {@code ${name}} with system properties; {@code karaf.etc} defaults to the working directory. */
    static Path resolve(String configured) {
        String value = configured == null || configured.isBlank() ? "${karaf.etc}/postroom-secret.key" : configured.strip();
        Matcher m = VARIABLE.matcher(value);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = System.getProperty(name);
            if (replacement == null && name.equals("karaf.etc")) {
                replacement = Path.of("").toAbsolutePath().toString();
            }
            if (replacement == null) {
                throw new IllegalArgumentException("keyFile of " + PID + " refers to ${" + name + "}, which is not a"
                        + " system property: write the path out");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(b);
        return Path.of(b.toString()).toAbsolutePath().normalize();
    }

    @Override
    public String encrypt(Secret secret) {
        return cipher.encrypt(secret);
    }

    @Override
    public Secret decrypt(String sealed) {
        return cipher.decrypt(sealed);
    }
}
