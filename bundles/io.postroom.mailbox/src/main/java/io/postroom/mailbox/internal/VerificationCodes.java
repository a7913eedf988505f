package io.postroom.mailbox.internal;

import io.postroom.persistence.VerificationCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Six-digit verification codes: drawn from {@link SecureRandom}, stored only as a salted hash
 * (PBKDF2-HMAC-SHA256), compared in constant time. A million possible codes cannot be made safe
 * against someone who reads the database and has time; what protects a code is its short life and
 * the five attempts. The hash keeps codes out of plain sight in the database and its backups, and
 * the iteration count keeps it cheap enough for a cold JVM.
 */
final class VerificationCodes {
    static final int DIGITS = 6;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 10_000;
    private static final int HASH_BITS = 256;

    private final SecureRandom random;

    VerificationCodes(SecureRandom random) {
        this.random = random;
    }

    String newCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    String newSalt() {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return Base64.getEncoder().withoutPadding().encodeToString(salt);
    }

    /** {@code pbkdf2-sha256:<iterations>:<base64 hash>}; the scheme is stored so it can change later. */
    static String hash(String code, String salt) {
        return SCHEME + ":" + ITERATIONS + ":" + Base64.getEncoder().withoutPadding()
                .encodeToString(pbkdf2(code, salt, ITERATIONS));
    }

    static boolean matches(String code, VerificationCode stored) {
        String[] parts = stored.codeHash().split(":");
        if (parts.length != 3 || !parts[0].equals(SCHEME)) {
            return false;
        }
        byte[] expected = Base64.getDecoder().decode(parts[2]);
        byte[] actual = pbkdf2(code, stored.salt(), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    /** What the user typed, without spaces and dashes; null if it is not six digits. */
    static String normalize(String typed) {
        if (typed == null) {
            return null;
        }
        String digits = typed.replace(" ", "").replace("-", "").strip();
        if (digits.length() != DIGITS) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return null;
            }
        }
        return digits;
    }

    private static byte[] pbkdf2(String code, String salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(code.toCharArray(), salt.getBytes(StandardCharsets.US_ASCII), iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 is missing from this Java runtime", e);
        } finally {
            spec.clearPassword();
        }
    }
}
