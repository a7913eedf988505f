package io.postroom.secrets.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key file: 32 random bytes, base64 on one line under a comment, readable by its owner only.
 * Created on first start; every node of a cluster must have a copy of the same file.
 */
public final class KeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFile.class);
    static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final String HEADER = """
            # Postroom secret key (AES-256). It decrypts the mailbox passwords stored in the database.
            # Every node of a cluster needs a copy of this same file; keep it private and back it up
            # apart from the database: without it the stored passwords cannot be read.
            """;

    private KeyFile() {
    }

    /** Reads the key at {@code path}, creating a new random key there first if there is none. */
    public static byte[] loadOrCreate(Path path, SecureRandom random) {
        Path file = path.toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            create(file, random);
        }
        return load(file);
    }

    static byte[] load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw fail("Cannot read the secret key file " + file + ": " + e + ". Check that it exists and that Karaf's user may read it.", e);
        }
        warnIfOthersCanRead(file);
        List<String> content = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                content.add(l);
            }
        }
        if (content.size() != 1) {
            throw fail("The secret key file " + file + " is damaged: it must hold one line of base64 besides comments."
                    + " Restore it from a backup or from another node.", null);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(content.get(0));
        } catch (IllegalArgumentException e) {
            throw fail("The secret key file " + file + " is damaged: its key is not base64."
                    + " Restore it from a backup or from another node.", null);
        }
        if (key.length != KEY_BYTES) {
            Arrays.fill(key, (byte) 0);
            throw fail("The secret key file " + file + " is damaged: it must hold a " + KEY_BYTES * 8 + "-bit key."
                    + " Restore it from a backup or from another node.", null);
        }
        return key;
    }

    private static void create(Path file, SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        String text = HEADER + Base64.getEncoder().encodeToString(key) + "\n";
        Arrays.fill(key, (byte) 0);
        Path temp = null;
        try {
            Files.createDirectories(file.getParent());
            boolean posix = Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null;
            temp = posix
                    ? Files.createTempFile(file.getParent(), ".postroom-secret", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(file.getParent(), ".postroom-secret", ".tmp");
            if (!posix) {
                ownerOnly(temp);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                out.write(text.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                channel.force(true);
            }
            try {
                publish(temp, file);
            } catch (FileAlreadyExistsException raced) {
                LOG.debug("Secret key file {} appeared while creating it (another node or process): using it", file);
                return;
            }
            LOG.info("Created the secret key file {} (key id {}). Copy it to every other node of the cluster and back it up.",
                    file, AesGcmSecretCipher.keyId(load(file)));
        } catch (IOException e) {
            throw fail("Cannot create the secret key file " + file + ": " + e + ". Create the directory, let Karaf's user"
                    + " write to it, or set keyFile in configuration io.postroom.secrets.", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temporary file holds nothing the key file does not
                }
            }
        }
    }

    /** Makes the complete file appear under its name at once; never replaces a key another process made first. */
    private static void publish(Path temp, Path file) throws IOException {
        try {
            Files.createLink(file, temp);
        } catch (UnsupportedOperationException | NoSuchFileException e) {
            Files.move(temp, file);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.move(temp, file);
        }
    }

    private static void ownerOnly(Path path) {
        var f = path.toFile();
        boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
                & f.setWritable(false, false) & f.setWritable(true, true);
        if (!ok) {
            LOG.warn("Could not restrict {} to its owner: restrict it by hand", path);
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("The secret key file {} is readable by other users ({}): chmod 600 it",
                        file, PosixFilePermissions.toString(p));
            }
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system
        }
    }

    private static PostroomException fail(String message, Throwable cause) {
        return new PostroomException(ErrorCode.INTERNAL, message, java.util.Map.of(), cause);
    }
}
