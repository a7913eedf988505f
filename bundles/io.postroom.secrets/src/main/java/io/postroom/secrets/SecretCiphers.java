package io.postroom.secrets;

import io.postroom.secrets.internal.AesGcmSecretCipher;
import io.postroom.secrets.internal.KeyFile;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Creates {@link SecretCipher}s outside OSGi (tests, tools). Inside Karaf, use the
 * {@code SecretCipher} service, configured through {@code io.postroom.secrets}.
 */
public final class SecretCiphers {

    private SecretCiphers() {
    }

    /**
     * An AES-256-GCM cipher with the key in {@code keyFile}; a new random key is written there first
     * (readable by its owner only) when the file does not exist.
     *
     * @throws io.postroom.api.PostroomException with code INTERNAL when the file cannot be read, created or
     *         holds no valid key; the message says what to do
     */
    public static SecretCipher fromKeyFile(Path keyFile) {
        SecureRandom random = new SecureRandom();
        Path file = keyFile.toAbsolutePath().normalize();
        byte[] key = KeyFile.loadOrCreate(file, random);
        try {
            return new AesGcmSecretCipher(key, file.toString(), random);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
