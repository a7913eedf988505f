package io.postroom.secrets;

import io.postroom.api.Secret;
import org.osgi.annotation.versioning.ProviderType;

/** Seals secrets for storage and opens them again. Authenticated encryption: tampering is detected. */
@ProviderType
public interface SecretCipher {

    /** Returns printable ciphertext (with a key id and version prefix) to store in the database. */
    String encrypt(Secret secret);

    /**
     * Opens what {@link #encrypt(Secret)} sealed.
     *
     * @throws io.postroom.api.PostroomException with code INTERNAL when the text was not sealed with this key
     */
    Secret decrypt(String sealed);
}
