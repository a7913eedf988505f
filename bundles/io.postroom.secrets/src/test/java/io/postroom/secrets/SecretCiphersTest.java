package io.postroom.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCiphersTest {
    private static final String PASSWORD = "Pa55-wörd-пароль-🔑";

    @TempDir
    Path dir;

    private SecretCipher cipher() {
        return SecretCiphers.fromKeyFile(dir.resolve("postroom-secret.key"));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTrip() {
        SecretCipher cipher = cipher();
        String sealed = cipher.encrypt(Secret.of(PASSWORD));
        assertThat(sealed).matches("v1:[0-9a-f]{8}:[A-Za-z0-9+/]+=*")
                .doesNotContain(PASSWORD).doesNotContain(b64(PASSWORD));
        assertThat(cipher.decrypt(sealed).reveal()).isEqualTo(PASSWORD);
        assertThat(cipher.decrypt(cipher.encrypt(Secret.of(""))).reveal()).isEmpty();
    }

    @Test
    void theSameInputSealsDifferentlyEachTime() {
        SecretCipher cipher = cipher();
        String a = cipher.encrypt(Secret.of(PASSWORD));
        String b = cipher.encrypt(Secret.of(PASSWORD));
        assertThat(a).isNotEqualTo(b);
        assertThat(a.substring(0, 12)).isEqualTo(b.substring(0, 12)); // same version and key id
        assertThat(cipher.decrypt(a).reveal()).isEqualTo(cipher.decrypt(b).reveal());
    }

    @Test
    void aWrongKeyIsDetectedWithAClearMessage() {
        SecretCipher first = SecretCiphers.fromKeyFile(dir.resolve("node1/postroom-secret.key"));
        SecretCipher second = SecretCiphers.fromKeyFile(dir.resolve("node2/postroom-secret.key"));
        String sealed = first.encrypt(Secret.of(PASSWORD));
        String firstId = sealed.split(":")[1];
        String secondId = second.encrypt(Secret.of("x")).split(":")[1];
        assertThat(firstId).isNotEqualTo(secondId);
        assertThatThrownBy(() -> second.decrypt(sealed))
                .isInstanceOfSatisfying(PostroomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
                    assertThat(e.details()).containsEntry("sealedWithKey", firstId).containsEntry("nodeKey", secondId);
                })
                .hasMessageContaining("sealed with key " + firstId + ", this node has key " + secondId)
                .hasMessageContaining("copy the key file from the first node")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void tamperingIsDetected() {
        SecretCipher cipher = cipher();
        String sealed = cipher.encrypt(Secret.of(PASSWORD));
        String[] parts = sealed.split(":");
        byte[] data = Base64.getDecoder().decode(parts[2]);
        for (int i : new int[] {0, 12, data.length - 1}) { // IV, ciphertext, tag
            byte[] altered = data.clone();
            altered[i] ^= 0x01;
            String tampered = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(altered);
            assertThatThrownBy(() -> cipher.decrypt(tampered))
                    .isInstanceOfSatisfying(PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                    .hasMessageContaining("integrity check")
                    .hasMessageContaining("enter the password again")
                    .hasMessageNotContaining(PASSWORD);
        }
        byte[] truncated = java.util.Arrays.copyOf(data, data.length - 1);
        assertThatThrownBy(() -> cipher.decrypt(parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(truncated)))
                .hasMessageContaining("integrity check");
    }

    @Test
    void garbledTextIsRefusedWithAReason() {
        SecretCipher cipher = cipher();
        String sealed = cipher.encrypt(Secret.of(PASSWORD));
        String id = sealed.split(":")[1];
        assertGarbled(cipher, null, "empty");
        assertGarbled(cipher, "  ", "empty");
        assertGarbled(cipher, PASSWORD, "not in the format");
        assertGarbled(cipher, "v2:" + id + ":" + sealed.split(":")[2], "version 'v2'");
        assertGarbled(cipher, "v1:" + id + ":***", "not base64");
        assertGarbled(cipher, "v1:" + id + ":AAAA", "too short");
        assertGarbled(cipher, "v1:" + id + ":" + sealed.split(":")[2] + ":extra", "not in the format");
    }

    private static void assertGarbled(SecretCipher cipher, String text, String reason) {
        assertThatThrownBy(() -> cipher.decrypt(text))
                .isInstanceOfSatisfying(PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("cannot be decrypted")
                .hasMessageContaining(reason)
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyAndReusedOnRestart() throws Exception {
        Path file = dir.resolve("etc/postroom-secret.key");
        SecretCipher first = SecretCiphers.fromKeyFile(file);
        assertThat(file).exists();
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        String content = Files.readString(file);
        assertThat(content).contains("# Postroom secret key", "Every node of a cluster");
        try (var siblings = Files.list(file.getParent())) {
            assertThat(siblings).containsExactly(file); // no temporary file left behind
        }
        String sealed = first.encrypt(Secret.of(PASSWORD));

        SecretCipher afterRestart = SecretCiphers.fromKeyFile(file);
        assertThat(Files.readString(file)).isEqualTo(content);
        assertThat(afterRestart.decrypt(sealed).reveal()).isEqualTo(PASSWORD);
    }

    @Test
    void nodesStartingAtOnceAgreeOnOneKey() throws Exception {
        Path file = dir.resolve("shared/postroom-secret.key");
        int nodes = 6;
        CyclicBarrier start = new CyclicBarrier(nodes);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<SecretCipher>> ciphers = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                ciphers.add(pool.submit(() -> {
                    start.await();
                    return SecretCiphers.fromKeyFile(file);
                }));
            }
            String sealed = ciphers.get(0).get().encrypt(Secret.of(PASSWORD));
            for (Future<SecretCipher> c : ciphers) {
                assertThat(c.get().decrypt(sealed).reveal()).isEqualTo(PASSWORD);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDamagedKeyFileIsRefusedWithWhatToDo() throws Exception {
        Path file = dir.resolve("postroom-secret.key");
        for (String content : new String[] {"", "# only a comment\n", "not base64 !!\n", Base64.getEncoder().encodeToString(new byte[16]),
                                            "AAAA\nBBBB\n"}) {
            Files.writeString(file, content);
            assertThatThrownBy(() -> SecretCiphers.fromKeyFile(file))
                    .as(content)
                    .isInstanceOfSatisfying(PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("damaged")
                    .hasMessageContaining("Restore it");
        }
        assertThat(Files.readString(file)).isEqualTo("AAAA\nBBBB\n"); // never overwritten
    }

    @Test
    void aKeyFileThatCannotBeCreatedSaysWhy() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("etc"), "a file, not a directory");
        assumeTrue(Files.isRegularFile(notADirectory));
        Path file = notADirectory.resolve("postroom-secret.key");
        assertThatThrownBy(() -> SecretCiphers.fromKeyFile(file))
                .isInstanceOfSatisfying(PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("Cannot create the secret key file " + file)
                .hasMessageContaining("io.postroom.secrets");
    }
}
