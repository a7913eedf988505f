package io.postroom.secrets.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.secrets.SecretCipher;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with the JDK's provider. Sealed text: {@code v1:<key id>:<base64(iv | ciphertext | tag)>}
 * with a random 12-byte IV per encryption and a 128-bit tag; the version and key id are bound as
 * associated data, so changing any part of the text is detected. The key id is a short fingerprint
 * of the key: text sealed on a node with another key file is recognised as such.
 */
public final class AesGcmSecretCipher implements SecretCipher {
    static final String VERSION = "v1";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final String keyId;
    private final String source;
    private final SecureRandom random;

    /**
     * @param key    32 bytes; copied
     * @param source where the key comes from, for messages (the key file's path)
     */
    public AesGcmSecretCipher(byte[] key, String source, SecureRandom random) {
        Objects.requireNonNull(key, "key");
        if (key.length != KeyFile.KEY_BYTES) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key, got " + key.length + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.keyId = keyId(key);
        this.source = source;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** 8 hex digits of SHA-256 over the key (with a label, so it is no plain hash of the key). */
    public static String keyId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("postroom-secret-key-id:".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public String keyId() {
        return keyId;
    }

    @Override
    public String encrypt(Secret secret) {
        Objects.requireNonNull(secret, "secret");
        byte[] plain = secret.reveal().getBytes(StandardCharsets.UTF_8);
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(keyId));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return VERSION + ":" + keyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new PostroomException(ErrorCode.INTERNAL, "Encrypting a password failed: " + e.getClass().getSimpleName()
                    + " (the JVM's AES-GCM provider is unusable)", Map.of(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public Secret decrypt(String sealed) {
        if (sealed == null || sealed.isBlank()) {
            throw damaged("it is empty");
        }
        String[] parts = sealed.strip().split(":", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            String version = parts.length == 3 ? " (version '" + printable(parts[0]) + "')" : "";
            throw damaged("it is not in the format " + VERSION + ":<key id>:<data>" + version);
        }
        String sealedWith = parts[1];
        if (!sealedWith.equals(keyId)) {
            throw new PostroomException(ErrorCode.INTERNAL, "A stored password was sealed with key " + printable(sealedWith)
                    + ", this node has key " + keyId + " (" + source + "): copy the key file from the first node to every"
                    + " node (keyFile in configuration io.postroom.secrets).",
                    Map.of("sealedWithKey", printable(sealedWith), "nodeKey", keyId));
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw damaged("its data is not base64");
        }
        if (data.length < IV_BYTES + TAG_BITS / 8) {
            throw damaged("it is too short");
        }
        byte[] plain = null;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
            cipher.updateAAD(associatedData(sealedWith));
            plain = cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES);
            return toSecret(plain);
        } catch (AEADBadTagException e) {
            throw damaged("it fails its integrity check (altered, truncated or sealed with another key of the same id)");
        } catch (GeneralSecurityException e) {
            throw new PostroomException(ErrorCode.INTERNAL, "Decrypting a stored password failed: "
                    + e.getClass().getSimpleName() + " (the JVM's AES-GCM provider is unusable)", Map.of(), e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static Secret toSecret(byte[] plain) {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain));
        } catch (CharacterCodingException e) {
            throw damaged("it does not decrypt to text");
        }
        char[] value = new char[chars.remaining()];
        chars.get(value);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        try {
            return Secret.of(value);
        } finally {
            Arrays.fill(value, '\0');
        }
    }

    private static byte[] associatedData(String keyId) {
        return (VERSION + ":" + keyId).getBytes(StandardCharsets.US_ASCII);
    }

    private static PostroomException damaged(String why) {
        return new PostroomException(ErrorCode.INTERNAL, "A stored password cannot be decrypted: " + why
                + ". Ask the mailbox owner to enter the password again.");
    }

    /** At most 16 characters of what the text claims, without control characters, for messages. */
    private static String printable(String s) {
        String cleaned = s.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() <= 16 ? cleaned : cleaned.substring(0, 16) + "...";
    }

    @Override
    public String toString() {
        return "AES-256-GCM secret cipher with key " + keyId;
    }
}
