package io.postroom.testing.dovecot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.postroom.testing.FreePorts;
import io.postroom.testing.mail.Mail;
import io.postroom.testing.tls.TestCertificate;

/**
 * A private Dovecot 2.3 for tests and benchmarks: a child process ({@code dovecot -F -c <conf>})
 * in its own directory, listening only on 127.0.0.1 on free ports, with
 * <ul>
 * <li>IMAP on {@link #imapPort()} (plain login allowed, STARTTLS offered) and IMAPS on
 *     {@link #imapsPort()}, both with a self-signed {@link #certificate()} that clients do not
 *     trust unless told to ({@link #sslContext()});</li>
 * <li>users in passwd-files this class manages ({@link #newUser}, {@link #addUser},
 *     {@link #changePassword}, {@link #kick}); no login penalty after failed logins;</li>
 * <li>Maildir storage; the folders Sent, Drafts, Trash, Junk and Archive with their SPECIAL-USE
 *     flags; CONDSTORE and QRESYNC (announced after login);</li>
 * <li>test operations through {@code doveadm -c <conf>}: deliver, bulk load, folders, flags,
 *     expunge, UIDVALIDITY changes, folder status and the Message-IDs a folder holds.</li>
 * </ul>
 * Works as root (as in CI) and as a normal user; see {@code identity} in the source for the
 * settings that make that work. Start one per test class ({@link #start()}) or use the one of
 * the JVM ({@link #shared()}, then give every test its own {@link #newUser() user}).
 * {@link #close()} stops it and deletes its directory (unless {@code -Dpostroom.dovecot.keep=true}).
 *
 * <p>Independent of JUnit: usable from a benchmark's main() and from Pax Exam drivers.
 * {@link DovecotExtension} and {@link EnabledIfDovecot} are the JUnit 5 helpers.
 */
public final class Dovecot implements AutoCloseable {

    /** The only address it listens on. */
    public static final String HOST = FreePorts.LOOPBACK;
    /** Why Dovecot tests are skipped when the binary is missing. */
    public static final String NOT_INSTALLED = "Dovecot not installed: apt-get install dovecot-imapd";

    private static final String DOVECOT_PROPERTY = "postroom.dovecot";
    private static final String DOVEADM_PROPERTY = "postroom.doveadm";
    private static final String KEEP_PROPERTY = "postroom.dovecot.keep";
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_@+-][A-Za-z0-9._@+-]{0,99}");
    private static final Pattern UID_SET = Pattern.compile("[0-9*:,]+");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DOVEADM_TIMEOUT = Duration.ofMinutes(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, String>>> ROWS = new TypeReference<>() { };
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ExecutorService PIPES = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "dovecot-pipe");
        thread.setDaemon(true);
        return thread;
    });
    private static Dovecot shared;
    private static String checkedVersion;

    private final Path directory;
    private final Path configFile;
    private final Path usersDir;
    private final Path logFile;
    private final Path outputFile;
    private final Path mailRoot;
    private final boolean keepFiles;
    private final Identity identity;
    private final TestCertificate certificate;
    private final String instanceName;
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final Map<String, Long> passwordFileTimes = new LinkedHashMap<>();
    private final AtomicInteger bulkSequence = new AtomicInteger();
    private int imapPort;
    private int imapsPort;
    private Process master;
    private Thread shutdownHook;
    private volatile boolean closed;

    private Dovecot(Builder builder) throws IOException {
        requireSupportedVersion();
        this.keepFiles = builder.keepFiles;
        this.certificate = builder.certificate != null ? builder.certificate : TestCertificate.shared();
        this.directory = builder.directory != null
                ? Files.createDirectories(builder.directory).toAbsolutePath()
                : Files.createTempDirectory("postroom-dovecot-").toAbsolutePath();
        this.instanceName = directory.getFileName().toString();
        this.configFile = directory.resolve("dovecot.conf");
        this.usersDir = directory.resolve("users");
        this.logFile = directory.resolve("dovecot.log");
        this.outputFile = directory.resolve("dovecot.out");
        this.mailRoot = directory.resolve("mail");
        this.identity = Identity.of(directory);
        prepareDirectory();
    }

    // ------------------------------------------------------------------ lifecycle

    /** Whether the Dovecot and doveadm binaries are installed. */
    public static boolean isAvailable() {
        return Files.isExecutable(dovecotBinary()) && Files.isExecutable(doveadmBinary());
    }

    /** The dovecot binary: {@code -Dpostroom.dovecot}, else /usr/sbin/dovecot, else the PATH. */
    public static Path dovecotBinary() {
        return binary(DOVECOT_PROPERTY, "/usr/sbin/dovecot", "dovecot");
    }

    /** The doveadm binary: {@code -Dpostroom.doveadm}, else /usr/bin/doveadm, else the PATH. */
    public static Path doveadmBinary() {
        return binary(DOVEADM_PROPERTY, "/usr/bin/doveadm", "doveadm");
    }

    /** {@code dovecot --version}, e.g. {@code 2.3.19.1 (9b53102964)}. */
    public static String version() {
        requireInstalled();
        ProcessResult result = exec(List.of(dovecotBinary().toString(), "--version"), null, Duration.ofSeconds(30));
        return result.stdout().trim();
    }

    /** Starts a new private instance with default settings. */
    public static Dovecot start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The instance of this JVM, started on first use and stopped when the JVM exits. Tests that
     * share it must not share users: take a fresh one with {@link #newUser()}.
     */
    public static synchronized Dovecot shared() {
        if (shared == null || shared.closed) {
            shared = start();
        }
        return shared;
    }

    /** Options for a new instance. */
    public static final class Builder {
        private Path directory;
        private boolean keepFiles = Boolean.getBoolean(KEEP_PROPERTY);
        private TestCertificate certificate;

        private Builder() {
        }

        /**
         * Where config, users, mail and log go (created if missing; default: a new temp
         * directory). As root, it and its parents must be searchable by the 'dovecot' user.
         * Unix socket paths must stay short: keep it under ~60 characters.
         */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Keep the directory after {@link Dovecot#close()} (default: {@code -Dpostroom.dovecot.keep}). */
        public Builder keepFiles(boolean keepFiles) {
            this.keepFiles = keepFiles;
            return this;
        }

        /** The server certificate (default: {@link TestCertificate#shared()}). */
        public Builder certificate(TestCertificate certificate) {
            this.certificate = certificate;
            return this;
        }

        public Dovecot start() {
            Dovecot dovecot;
            try {
                dovecot = new Dovecot(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare a Dovecot directory", e);
            }
            try {
                dovecot.launch(true);
            } catch (RuntimeException e) {
                dovecot.close();
                throw e;
            }
            return dovecot;
        }
    }

    /**
     * Stops the server (SIGTERM, as a shutdown would), keeping ports, users and mail. The
     * doveadm operations need a running server ({@link #startAgain()}).
     */
    public synchronized void stop() {
        Process process = master;
        master = null;
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            // the master alone takes a second to wind its services down; ending them too takes ~20 ms
            if (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                children.forEach(ProcessHandle::destroy);
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a child that does not go away within 10 s is left to the OS; the ports are free
        }
    }

    /** Starts a stopped server again on the same ports with the same users and mail. */
    public synchronized void startAgain() {
        checkOpen();
        if (master == null) {
            launch(false);
        }
    }

    /** Stops and starts the server: same ports, users and mail; clients are disconnected. */
    public synchronized void restart() {
        stop();
        startAgain();
    }

    public synchronized boolean isRunning() {
        return master != null && master.isAlive();
    }

    /** Stops the server and deletes its directory (unless it is kept). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook itself is running
            }
        }
        if (!keepFiles) {
            deleteRecursively(directory);
        }
    }

    // ------------------------------------------------------------------ where and how to connect

    public String host() {
        return HOST;
    }

    /** Plain IMAP with STARTTLS offered. */
    public synchronized int imapPort() {
        return imapPort;
    }

    /** IMAP over implicit TLS. */
    public synchronized int imapsPort() {
        return imapsPort;
    }

    public int port(ImapSecurity security) {
        return security == ImapSecurity.IMAPS ? imapsPort() : imapPort();
    }

    /** The server's self-signed certificate (CN=localhost, SAN localhost and 127.0.0.1). */
    public X509Certificate certificate() {
        return certificate.certificate();
    }

    public TestCertificate testCertificate() {
        return certificate;
    }

    /** The certificate as a PEM file (for mbsync's CertificateFile, openssl s_client -CAfile, ...). */
    public Path certificateFile() {
        return directory.resolve("ssl").resolve("cert.pem");
    }

    /** A TLS context trusting exactly this server's certificate. */
    public SSLContext sslContext() {
        return certificate.sslContext();
    }

    public SSLSocketFactory socketFactory() {
        return certificate.socketFactory();
    }

    /**
     * Angus Mail session properties for protocol {@code imap} reaching this server: host, port,
     * timeouts, and for STARTTLS/IMAPS TLS required, trusting exactly {@link #certificate()},
     * host name checked. Add {@code mail.imap.peek=true} or others as the test needs.
     */
    public Properties imapProperties(ImapSecurity security) {
        Properties props = new Properties();
        props.put("mail.imap.host", HOST);
        props.put("mail.imap.port", Integer.toString(port(security)));
        props.put("mail.imap.connectiontimeout", "10000");
        props.put("mail.imap.timeout", "60000");
        switch (security) {
            case PLAIN -> props.put("mail.imap.starttls.enable", "false");
            case STARTTLS -> {
                props.put("mail.imap.starttls.enable", "true");
                props.put("mail.imap.starttls.required", "true");
                props.put("mail.imap.ssl.socketFactory", socketFactory());
                props.put("mail.imap.ssl.checkserveridentity", "true");
            }
            case IMAPS -> {
                props.put("mail.imap.ssl.enable", "true");
                props.put("mail.imap.ssl.socketFactory", socketFactory());
                props.put("mail.imap.ssl.checkserveridentity", "true");
            }
        }
        return props;
    }

    /** The directory holding config, users, mail and log. */
    public Path directory() {
        return directory;
    }

    public Path configFile() {
        return configFile;
    }

    /** Dovecot's log (logins, errors, disconnect reasons). */
    public Path logFile() {
        return logFile;
    }

    /** The whole log so far (empty when there is none yet). */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the user's Maildir lives. */
    public Path maildir(String user) {
        return mailRoot.resolve(requireUserName(user));
    }

    // ------------------------------------------------------------------ users

    /** Adds a user with a unique name and a random password. */
    public DovecotUser newUser() {
        String name = "user" + USERS.incrementAndGet();
        synchronized (this) {
            while (passwords.containsKey(name)) {
                name = "user" + USERS.incrementAndGet();
            }
            String password = randomPassword();
            addUser(name, password);
            return new DovecotUser(name, password);
        }
    }

    /** Adds a user (letters, digits and {@code . _ @ + -}); any password, also with ':' or non-ASCII. */
    public synchronized void addUser(String name, String password) {
        requireUserName(name);
        Objects.requireNonNull(password, "password");
        if (passwords.containsKey(name)) {
            throw new IllegalArgumentException("user " + name + " exists already; use changePassword");
        }
        passwords.put(name, password);
        writeUser(name);
    }

    /**
     * Changes a user's password: the next login needs the new one. Sessions already logged in
     * stay: add {@link #kick(String)} for "password changed mid-run". Takes up to a second
     * (Dovecot looks at a passwd-file at most once a second).
     */
    public synchronized void changePassword(String name, String newPassword) {
        requireKnownUser(name);
        passwords.put(name, Objects.requireNonNull(newPassword, "newPassword"));
        writeUser(name);
        awaitNextSecond();
    }

    /** Removes a user's login (the mail stays on disk). Takes up to a second, as {@link #changePassword}. */
    public synchronized void removeUser(String name) {
        requireKnownUser(name);
        passwords.remove(name);
        try {
            Files.deleteIfExists(usersDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitNextSecond();
    }

    /** Disconnects all IMAP sessions of the user ({@code doveadm kick}). */
    public void kick(String user) {
        requireUserName(user);
        ProcessResult result = doveadmResult(List.of("kick", user), null);
        if (result.exitCode() != 0 && !result.stdout().contains("no users kicked")) {
            throw failure(List.of("kick", user), result);
        }
    }

    // ------------------------------------------------------------------ folders

    /** The user's folders, as doveadm lists them (INBOX, Sent, ..., nested ones with '/'). */
    public List<String> folders(String user) {
        List<String> folders = new ArrayList<>();
        for (Map<String, String> row : doveadmJson("mailbox", "list", "-u", requireUserName(user))) {
            folders.add(row.get("mailbox"));
        }
        return folders;
    }

    /** Creates a folder ('/' separates levels); does nothing when it exists. */
    public void createFolder(String user, String folder) {
        if (!folders(user).contains(folder)) {
            doveadm("mailbox", "create", "-u", user, folder);
        }
    }

    /** Deletes a folder and its messages (not INBOX). */
    public void deleteFolder(String user, String folder) {
        doveadm("mailbox", "delete", "-s", "-u", requireUserName(user), folder);
    }

    public void renameFolder(String user, String from, String to) {
        doveadm("mailbox", "rename", "-u", requireUserName(user), from, to);
    }

    /** UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, message and unseen counts of a folder. */
    public FolderStatus status(String user, String folder) {
        List<Map<String, String>> rows = doveadmJson("mailbox", "status", "-u", requireUserName(user),
                "messages uidvalidity uidnext highestmodseq unseen", folder);
        if (rows.size() != 1) {
            throw new DovecotException("doveadm mailbox status " + folder + " returned " + rows);
        }
        Map<String, String> row = rows.get(0);
        return new FolderStatus(number(row, "messages"), number(row, "uidvalidity"), number(row, "uidnext"),
                number(row, "highestmodseq"), number(row, "unseen"));
    }

    /**
     * Sets a folder's UIDVALIDITY ({@code doveadm mailbox update --uid-validity}); UIDs stay as
     * they are. Clients must treat all their cached UIDs of the folder as void.
     */
    public void setUidValidity(String user, String folder, long uidValidity) {
        if (uidValidity < 1 || uidValidity > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("UIDVALIDITY must be 1..2^32-1, was " + uidValidity);
        }
        doveadm("mailbox", "update", "-u", requireUserName(user), "--uid-validity", Long.toString(uidValidity), folder);
    }

    /**
     * "The server rebuilt the folder": the same messages (and flags) come back under a new
     * UIDVALIDITY with new UIDs, in a rotated order (the second half first), so an old UID now
     * names a different message. The user's sessions are disconnected first (as a server
     * restart would). Works for INBOX too. Costs a few doveadm runs, not one per message.
     *
     * @return the folder's status afterwards
     */
    public FolderStatus recreateFolder(String user, String folder) {
        requireUserName(user);
        kick(user);
        FolderStatus before = status(user, folder);
        String holding = "postroom-recreate-" + Long.toHexString(System.nanoTime());
        createFolder(user, holding);
        List<StoredMessage> messages = messages(user, folder);
        if (messages.size() > 1) {
            long middle = messages.get(messages.size() / 2).uid();
            doveadm("copy", "-u", user, holding, "mailbox", folder, "uid", middle + ":*");
            doveadm("copy", "-u", user, holding, "mailbox", folder, "uid", "1:" + (middle - 1));
        } else if (messages.size() == 1) {
            doveadm("copy", "-u", user, holding, "mailbox", folder, "all");
        }
        if (!messages.isEmpty()) {
            doveadm("expunge", "-u", user, "mailbox", folder, "all");
        }
        Path indexDir = Path.of(doveadm("mailbox", "path", "-u", user, "-t", "index", folder).trim());
        deleteFolderIndex(indexDir);
        status(user, folder); // Dovecot starts the folder afresh: new UIDVALIDITY, UIDs from 1
        if (!messages.isEmpty()) {
            doveadm("copy", "-u", user, folder, "mailbox", holding, "all");
        }
        deleteFolder(user, holding);
        FolderStatus after = status(user, folder);
        if (after.uidValidity() == before.uidValidity()) {
            setUidValidity(user, folder, before.uidValidity() + 1);
            after = status(user, folder);
        }
        return after;
    }

    // ------------------------------------------------------------------ messages

    /**
     * Stores one message ({@code doveadm save}, as a delivery would); INTERNALDATE is now, flags
     * none. The folder must exist. {@link #bulkLoad} keeps {@link Mail#receivedAt()} and flags.
     *
     * @return its UID (the folder's highest: do not deliver into the same folder concurrently)
     */
    public long deliver(String user, String folder, Mail mail) {
        requireUserName(user);
        List<String> args = List.of("save", "-u", user, "-m", folder);
        ProcessResult result = doveadmResult(args, mail::writeTo);
        if (result.exitCode() != 0) {
            throw failure(args, result);
        }
        // "*" alone is the last message ("uid *" finds nothing in doveadm)
        List<Map<String, String>> rows = doveadmJson("fetch", "-u", user, "uid", "mailbox", folder, "*");
        if (rows.isEmpty()) {
            throw new DovecotException("message saved into " + folder + " but not found there");
        }
        return number(rows.get(rows.size() - 1), "uid");
    }

    /** {@link #deliver(String, String, Mail)} for raw RFC 5322 bytes. */
    public long deliver(String user, String folder, byte[] message) {
        return deliver(user, folder, Mail.of(message));
    }

    /**
     * Loads many messages fast: writes them straight into the folder's Maildir ({@code tmp/} then
     * {@code cur/}, with {@link Mail#flags()} as Maildir flags, {@link Mail#receivedAt()} as file
     * time, which Dovecot serves as INTERNALDATE), then lets Dovecot index the folder. UIDs follow
     * the order of {@code messages}. Creates the folder when missing. Safe while clients are
     * connected (they see the messages arrive as with any delivery). Keywords in
     * {@link Mail#flags()} are left out (Maildir file names carry only system flags): add them
     * with {@link #addFlags}. Tens of times faster than {@link #deliver} per message.
     */
    public BulkLoad bulkLoad(String user, String folder, Iterable<? extends Mail> messages) {
        requireUserName(user);
        createFolder(user, folder);
        Path maildir = Path.of(doveadm("mailbox", "path", "-u", user, folder).trim());
        Path tmp = maildir.resolve("tmp");
        Path cur = maildir.resolve("cur");
        long start = System.nanoTime();
        int count = 0;
        long bytes = 0;
        try {
            if (!Files.isDirectory(cur)) {
                status(user, folder); // folders Dovecot creates on demand (Archive, ...) exist after this
            }
            for (Path dir : List.of(maildir, tmp, cur, maildir.resolve("new"))) {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    identity.own(dir);
                }
            }
            // Dovecot gives new files UIDs in the order of the time in their names (Dovecot takes
            // INTERNALDATE from the file time, not from the name)
            long baseSeconds = Instant.now().getEpochSecond() - 50_000_000L;
            int batch = bulkSequence.incrementAndGet();
            long pid = ProcessHandle.current().pid();
            byte[] buffer = new byte[64 * 1024];
            for (Mail mail : messages) {
                String base = (baseSeconds + count) + ".M" + batch + "P" + pid + "Q" + count + ".postroom";
                Path temp = tmp.resolve(base);
                SizeCountingStream out = new SizeCountingStream(Files.newOutputStream(temp), buffer);
                try (out) {
                    mail.writeTo(out);
                }
                String name = base + ",S=" + out.size + ",W=" + out.virtualSize() + ":2," + maildirFlags(mail.flags());
                Path target = cur.resolve(name);
                identity.own(temp);
                if (mail.receivedAt() != null) {
                    Files.setLastModifiedTime(temp, FileTime.from(mail.receivedAt()));
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                count++;
                bytes += out.size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bulk load into " + maildir + " failed after " + count + " messages", e);
        }
        long written = System.nanoTime();
        FolderStatus status = status(user, folder);
        long indexed = System.nanoTime();
        return new BulkLoad(count, bytes, Duration.ofNanos(written - start), Duration.ofNanos(indexed - written), status);
    }

    /** Adds flags or keywords ({@code \Seen}, {@code $Forwarded}) to the messages of a UID set ("7", "1:5,9", "1:*"). */
    public void addFlags(String user, String folder, String uids, String... flags) {
        flags("add", user, folder, uids, flags);
    }

    public void addFlags(String user, String folder, long uid, String... flags) {
        addFlags(user, folder, Long.toString(uid), flags);
    }

    public void removeFlags(String user, String folder, String uids, String... flags) {
        flags("remove", user, folder, uids, flags);
    }

    public void removeFlags(String user, String folder, long uid, String... flags) {
        removeFlags(user, folder, Long.toString(uid), flags);
    }

    /** Sets exactly these flags (others removed). */
    public void replaceFlags(String user, String folder, String uids, String... flags) {
        flags("replace", user, folder, uids, flags);
    }

    /** Expunges the messages of a UID set ("7", "1:5,9", "1:*"). */
    public void expunge(String user, String folder, String uids) {
        List<String> args = new ArrayList<>(List.of("expunge", "-u", requireUserName(user), "mailbox", folder));
        args.addAll(uidQuery(uids));
        doveadm(args.toArray(String[]::new));
    }

    public void expunge(String user, String folder, long uid) {
        expunge(user, folder, Long.toString(uid));
    }

    /** All messages of a folder in UID order: UID, Message-ID, flags, MODSEQ. */
    public List<StoredMessage> messages(String user, String folder) {
        List<StoredMessage> messages = new ArrayList<>();
        for (Map<String, String> row : doveadmJson("fetch", "-u", requireUserName(user),
                "uid flags modseq hdr.message-id", "mailbox", folder, "all")) {
            Set<String> flags = new LinkedHashSet<>();
            for (String flag : row.getOrDefault("flags", "").split(" ")) {
                if (!flag.isEmpty() && !flag.equalsIgnoreCase("\\Recent")) {
                    flags.add(flag);
                }
            }
            messages.add(new StoredMessage(number(row, "uid"), normalizeMessageId(row.get("hdr.message-id")),
                    flags, number(row, "modseq")));
        }
        messages.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        return messages;
    }

    /** The Message-IDs in a folder (messages without one are left out; see {@link #messages}). */
    public Set<String> messageIds(String user, String folder) {
        Set<String> ids = new LinkedHashSet<>();
        for (StoredMessage message : messages(user, folder)) {
            if (message.messageId() != null) {
                ids.add(message.messageId());
            }
        }
        return ids;
    }

    /** The UID of the first message with that Message-ID. */
    public OptionalLong uidOf(String user, String folder, String messageId) {
        String wanted = normalizeMessageId(messageId);
        for (StoredMessage message : messages(user, folder)) {
            if (Objects.equals(message.messageId(), wanted)) {
                return OptionalLong.of(message.uid());
            }
        }
        return OptionalLong.empty();
    }

    // ------------------------------------------------------------------ doveadm

    /** Runs {@code doveadm -c <conf> args...}; returns its standard output; fails on a non-zero exit. */
    public String doveadm(String... args) {
        List<String> list = List.of(args);
        ProcessResult result = doveadmResult(list, null);
        if (result.exitCode() != 0) {
            throw failure(list, result);
        }
        return result.stdout();
    }

    /** Runs {@code doveadm -c <conf> -f json args...} and returns its rows. */
    public List<Map<String, String>> doveadmJson(String... args) {
        List<String> list = new ArrayList<>(List.of("-f", "json"));
        list.addAll(List.of(args));
        ProcessResult result = doveadmResult(list, null);
        if (result.exitCode() != 0) {
            throw failure(list, result);
        }
        String out = result.stdout().trim();
        if (out.isEmpty()) {
            return List.of();
        }
        try {
            return JSON.readValue(out, ROWS);
        } catch (IOException e) {
            throw new DovecotException("cannot read doveadm output of " + list + ": " + abbreviate(out), e);
        }
    }

    @Override
    public String toString() {
        return "Dovecot[imap=" + HOST + ":" + imapPort + ", imaps=" + HOST + ":" + imapsPort + ", dir=" + directory + "]";
    }

    // ------------------------------------------------------------------ internals

    private synchronized void launch(boolean mayPickNewPorts) {
        checkOpen();
        for (int attempt = 1; ; attempt++) {
            if (mayPickNewPorts) {
                int[] ports = FreePorts.find(2);
                imapPort = ports[0];
                imapsPort = ports[1];
                writeConfig();
            }
            try {
                Files.deleteIfExists(directory.resolve("run").resolve("master.pid"));
                ProcessBuilder builder = new ProcessBuilder(dovecotBinary().toString(), "-F", "-c", configFile.toString())
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
                master = builder.start();
            } catch (IOException e) {
                throw new DovecotException("cannot run " + dovecotBinary() + ": " + e.getMessage(), e);
            }
            if (shutdownHook == null) {
                shutdownHook = new Thread(this::close, "dovecot-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            String failure = awaitReady();
            if (failure == null) {
                return;
            }
            stop();
            boolean portTaken = failure.contains("Address already in use");
            if (!(portTaken && mayPickNewPorts && attempt < 3)) {
                throw new DovecotException("Dovecot did not start: " + failure
                        + "\nconfig: " + configFile + "\nlog: " + logFile);
            }
        }
    }

    /** Null when the IMAP greeting (with CAPABILITY: auth is up) arrived, otherwise what went wrong. */
    private String awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                return "it exited with " + master.exitValue() + ": " + tail(outputFile) + tail(logFile);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, imapPort), 1000);
                socket.setSoTimeout(5000);
                BufferedReader reader = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("* OK") && line.contains("[CAPABILITY")) {
                        return null;
                    }
                    last = line;
                    if (!line.startsWith("* OK")) {
                        break;
                    }
                }
            } catch (IOException e) {
                last = e.toString();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return "no IMAP greeting within " + START_TIMEOUT.toSeconds() + " s (last: " + last + "): " + tail(logFile);
    }

    private void prepareDirectory() throws IOException {
        Path run = Files.createDirectories(directory.resolve("run"));
        Files.createDirectories(directory.resolve("state"));
        Path ssl = Files.createDirectories(directory.resolve("ssl"));
        Files.createDirectories(mailRoot);
        Files.createDirectories(usersDir);
        Files.setPosixFilePermissions(usersDir, PosixFilePermissions.fromString("rwx------"));
        // unix socket paths (base_dir + e.g. "/token-login/imap-urlauth") must fit in 107 bytes
        if (run.toString().getBytes(StandardCharsets.UTF_8).length + 30 > 107) {
            throw new DovecotException("directory path too long for Dovecot's unix sockets (keep it under ~70 characters): "
                    + directory);
        }
        Files.writeString(ssl.resolve("cert.pem"), certificate.certificatePem(), StandardCharsets.US_ASCII);
        Path key = ssl.resolve("key.pem");
        Files.writeString(key, certificate.privateKeyPem(), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        identity.prepare(directory, mailRoot);
        identity.ownInternal(usersDir);
    }

    private void writeConfig() {
        String d = directory.toString();
        StringBuilder conf = new StringBuilder();
        conf.append("# Private Dovecot for Postroom tests, written by ").append(Dovecot.class.getName()).append('\n')
            .append("# ").append(identity.describe()).append("\n\n")
            .append("base_dir = ").append(d).append("/run\n")
            .append("state_dir = ").append(d).append("/state\n")
            .append("instance_name = ").append(instanceName).append('\n')
            .append("protocols = imap\n")
            .append("listen = ").append(HOST).append('\n')
            .append("shutdown_clients = yes\n")
            .append("log_path = ").append(logFile).append('\n')
            .append("auth_verbose = yes\n")
            .append("\n# TLS: self-signed certificate; plain login allowed (loopback only)\n")
            .append("ssl = yes\n")
            .append("ssl_cert = <").append(d).append("/ssl/cert.pem\n")
            .append("ssl_key = <").append(d).append("/ssl/key.pem\n")
            .append("disable_plaintext_auth = no\n")
            .append("auth_mechanisms = plain login\n")
            .append("auth_failure_delay = 0\n")
            .append("\n# who runs what (see Dovecot.Identity)\n")
            .append("default_internal_user = ").append(identity.internalUser()).append('\n')
            .append("default_internal_group = ").append(identity.internalGroup()).append('\n')
            .append("default_login_user = ").append(identity.loginUser()).append('\n')
            .append("mail_uid = ").append(identity.mailUser()).append('\n')
            .append("mail_gid = ").append(identity.mailGroup()).append('\n')
            .append("first_valid_uid = 1\n")
            .append("first_valid_gid = 0\n")
            .append("\n# storage\n")
            .append("mail_location = maildir:").append(mailRoot).append("/%u\n")
            .append("mail_fsync = never\n")
            .append("mail_max_userip_connections = 200\n")
            // one passwd-file per user: a new user's file is read at once (Dovecot re-reads a
            // changed passwd-file only once a second; see changePassword)
            .append("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ").append(usersDir).append("/%u\n}\n")
            .append("userdb {\n  driver = static\n  args = home=").append(mailRoot).append("/%u\n}\n")
            .append("namespace inbox {\n  inbox = yes\n  separator = /\n");
        for (String special : List.of("Sent", "Drafts", "Trash", "Junk", "Archive")) {
            conf.append("  mailbox ").append(special).append(" {\n    special_use = \\").append(special)
                .append("\n    auto = subscribe\n  }\n");
        }
        conf.append("}\n")
            .append("\nservice imap-login {\n")
            .append("  inet_listener imap {\n    address = ").append(HOST).append("\n    port = ").append(imapPort).append("\n  }\n")
            .append("  inet_listener imaps {\n    address = ").append(HOST).append("\n    port = ").append(imapsPort)
            .append("\n    ssl = yes\n  }\n");
        if (!identity.root()) {
            conf.append("  chroot =\n");
        }
        conf.append("}\n")
            // no auth penalty: after a failed login Dovecot would hold the next login from the same
            // IP back for 2-15 s (every test client comes from 127.0.0.1)
            .append("service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n")
            .append(identity.root() ? "" : "  chroot =\n")
            .append("}\n");
        if (!identity.root()) {
            // without root, Dovecot can neither chroot nor change user
            conf.append("service imap-urlauth-login {\n  chroot =\n}\n")
                .append("service auth-worker {\n  user = $default_internal_user\n}\n");
        }
        try {
            Files.writeString(configFile, conf.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the user's passwd-file (atomically, with a file time Dovecot has not seen for it). */
    private synchronized void writeUser(String name) {
        String line = name + ":{PLAIN.B64}"
                + Base64.getEncoder().encodeToString(passwords.get(name).getBytes(StandardCharsets.UTF_8)) + "\n";
        try {
            Path temp = usersDir.resolve(".new-" + name);
            Files.writeString(temp, line, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            identity.ownInternal(temp);
            // Dovecot notices a change by mtime (seconds) and size: make the mtime differ
            long seconds = Math.max(Instant.now().getEpochSecond(), passwordFileTimes.getOrDefault(name, 0L) + 1);
            passwordFileTimes.put(name, seconds);
            Files.setLastModifiedTime(temp, FileTime.from(Instant.ofEpochSecond(seconds)));
            Path file = usersDir.resolve(name);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the passwd-file of " + name, e);
        }
    }

    /** Dovecot's auth process checks a passwd-file at most once per second of its clock. */
    private static void awaitNextSecond() {
        long millis = System.currentTimeMillis();
        try {
            Thread.sleep(1000 - millis % 1000 + 20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flags(String action, String user, String folder, String uids, String... flags) {
        if (flags.length == 0) {
            throw new IllegalArgumentException("no flags given");
        }
        List<String> args = new ArrayList<>(List.of("flags", action, "-u", requireUserName(user), String.join(" ", flags),
                "mailbox", folder));
        args.addAll(uidQuery(uids));
        doveadm(args.toArray(String[]::new));
    }

    private static void deleteFolderIndex(Path indexDir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(indexDir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.equals("dovecot-uidlist") || name.startsWith("dovecot-uidlist.")
                        || name.equals("dovecot.index") || name.startsWith("dovecot.index.")) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the index in " + indexDir, e);
        }
    }

    private ProcessResult doveadmResult(List<String> args, StdinWriter stdin) {
        checkOpen();
        List<String> command = new ArrayList<>();
        command.add(doveadmBinary().toString());
        command.add("-c");
        command.add(configFile.toString());
        command.addAll(args);
        return exec(command, stdin, DOVEADM_TIMEOUT);
    }

    private DovecotException failure(List<String> args, ProcessResult result) {
        return new DovecotException("doveadm " + String.join(" ", args) + " failed (exit " + result.exitCode() + "): "
                + abbreviate((result.stderr() + result.stdout()).trim()) + "\nlog: " + logFile);
    }

    private static ProcessResult exec(List<String> command, StdinWriter stdin, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new DovecotException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), PIPES);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), PIPES);
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    stdin.write(in);
                }
            } catch (IOException e) {
                // the process may have exited early; its exit code and stderr tell why
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DovecotException(command + " did not finish within " + timeout);
            }
            return new ProcessResult(process.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DovecotException("interrupted while running " + command, e);
        } catch (ExecutionException e) {
            throw new DovecotException("cannot read the output of " + command, e.getCause());
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path binary(String property, String standard, String name) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path path = Path.of(standard);
        if (Files.isExecutable(path)) {
            return path;
        }
        String systemPath = System.getenv("PATH");
        if (systemPath != null) {
            for (String dir : systemPath.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return path;
    }

    private static synchronized void requireSupportedVersion() {
        if (checkedVersion == null) {
            String version = version();
            if (!version.startsWith("2.3.") && !version.startsWith("2.2.")) {
                throw new DovecotException("Dovecot " + version + " found; these fixtures write Dovecot 2.3 settings"
                        + " (2.4 renamed many of them): install Dovecot 2.3 (Debian 12 dovecot-imapd)");
            }
            checkedVersion = version;
        }
    }

    private static void requireInstalled() {
        if (!isAvailable()) {
            throw new DovecotException(NOT_INSTALLED);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Dovecot is closed");
        }
    }

    private String requireUserName(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user names are 1-100 of [A-Za-z0-9._@+-], was: " + name);
        }
        return name;
    }

    private synchronized void requireKnownUser(String name) {
        requireUserName(name);
        if (!passwords.containsKey(name)) {
            throw new IllegalArgumentException("no user " + name);
        }
    }

    private static String requireUidSet(String uids) {
        if (uids == null || !UID_SET.matcher(uids).matches()) {
            throw new IllegalArgumentException("not an IMAP UID set (\"7\", \"1:5,9\", \"1:*\"): " + uids);
        }
        return uids;
    }

    /** A doveadm search query for a UID set ("uid *" finds nothing in doveadm: "*" alone is the last message). */
    private static List<String> uidQuery(String uids) {
        requireUidSet(uids);
        return uids.equals("*") ? List.of("*") : List.of("uid", uids);
    }

    private static long number(Map<String, String> row, String key) {
        String value = row.get(key);
        if (value == null) {
            throw new DovecotException("doveadm answered without " + key + ": " + row);
        }
        return Long.parseLong(value.trim());
    }

    static String normalizeMessageId(String value) {
        if (value == null) {
            return null;
        }
        String unfolded = value.replace("\r", "").replace("\n", "").trim();
        return unfolded.isEmpty() ? null : unfolded;
    }

    private static String maildirFlags(Set<String> flags) {
        StringBuilder letters = new StringBuilder();
        // Maildir info letters, in ASCII order
        if (contains(flags, "\\Draft")) {
            letters.append('D');
        }
        if (contains(flags, "\\Flagged")) {
            letters.append('F');
        }
        if (contains(flags, "\\Answered")) {
            letters.append('R');
        }
        if (contains(flags, "\\Seen")) {
            letters.append('S');
        }
        if (contains(flags, "\\Deleted")) {
            letters.append('T');
        }
        return letters.toString();
    }

    private static boolean contains(Set<String> flags, String flag) {
        for (String candidate : flags) {
            if (candidate.equalsIgnoreCase(flag)) {
                return true;
            }
        }
        return false;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("Dovecot fixture: could not delete " + root + ": " + e);
        }
    }

    @FunctionalInterface
    private interface StdinWriter {
        void write(OutputStream out) throws IOException;
    }

    private record ProcessResult(int exitCode, String stdout, String stderr) {
    }

    /**
     * Buffers a message file (in a buffer reused from file to file) and counts its size and its
     * size with CRLF line ends (Maildir S= and W=).
     */
    private static final class SizeCountingStream extends OutputStream {
        private final OutputStream out;
        private final byte[] buffer;
        private int buffered;
        private long size;
        private long bareLineFeeds;
        private int previous = -1;

        SizeCountingStream(OutputStream out, byte[] buffer) {
            this.out = out;
            this.buffer = buffer;
        }

        @Override
        public void write(int b) throws IOException {
            if (buffered == buffer.length) {
                flushBuffer();
            }
            buffer[buffered++] = (byte) b;
            b &= 0xff;
            if (b == '\n' && previous != '\r') {
                bareLineFeeds++;
            }
            previous = b;
            size++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int prev = previous;
            long bare = 0;
            for (int i = offset, end = offset + length; i < end; i++) {
                int b = bytes[i] & 0xff;
                if (b == '\n' && prev != '\r') {
                    bare++;
                }
                prev = b;
            }
            previous = prev;
            bareLineFeeds += bare;
            size += length;
            if (length >= buffer.length) {
                flushBuffer();
                out.write(bytes, offset, length);
            } else {
                if (length > buffer.length - buffered) {
                    flushBuffer();
                }
                System.arraycopy(bytes, offset, buffer, buffered, length);
                buffered += length;
            }
        }

        private void flushBuffer() throws IOException {
            if (buffered > 0) {
                out.write(buffer, 0, buffered);
                buffered = 0;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                flushBuffer();
            } finally {
                out.close();
            }
        }

        long virtualSize() {
            return size + bareLineFeeds;
        }
    }

    /**
     * Which system users run which part. Dovecot refuses to run mail processes (imap, doveadm's
     * mail commands) as UID 0 ("Mail access not allowed for root", hard-coded) and login processes
     * as root ("This process must not be run as root"). So:
     * <ul>
     * <li>as root: master as root (it needs to change users); mail processes, auth and the other
     *     internal services as the 'dovecot' system user ({@code mail_uid}, {@code mail_gid},
     *     {@code default_internal_user}); login processes as 'dovenull' (chrooted, as usual).
     *     The directory is made searchable (0755) and the mail tree and passwd-file belong to
     *     'dovecot'; bulk-loaded files are given to 'dovecot' too;</li>
     * <li>as a normal user: everything runs as that user (Dovecot's rootless mode: all those
     *     settings name the user, chroot is switched off, auth-worker runs as the user).</li>
     * </ul>
     * {@code first_valid_uid = 1} admits the system user (UID &lt; 500); {@code first_valid_gid = 0}
     * admits any primary group.
     */
    private record Identity(boolean root, String internalUser, String internalGroup, String loginUser,
                            String mailUser, String mailGroup, UserPrincipal owner, GroupPrincipal group) {

        static Identity of(Path directory) throws IOException {
            int uid = (Integer) Files.getAttribute(directory, "unix:uid");
            UserPrincipalLookupService lookup = directory.getFileSystem().getUserPrincipalLookupService();
            if (uid == 0) {
                String user = "dovecot";
                String group = groupOf(user);
                String login = groupOfOrNull("dovenull") != null ? "dovenull" : "nobody";
                return new Identity(true, user, group, login, user, group,
                        lookup.lookupPrincipalByName(user), lookup.lookupPrincipalByGroupName(group));
            }
            PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
            String user = view.getOwner().getName();
            String group = view.readAttributes().group().getName();
            return new Identity(false, user, group, user, user, group, null, null);
        }

        String describe() {
            return root ? "running as root: mail and internal processes as " + mailUser + ", login as " + loginUser
                    : "running as " + mailUser + " (rootless)";
        }

        void prepare(Path directory, Path mailRoot) throws IOException {
            if (!root) {
                return;
            }
            Set<PosixFilePermission> searchable = PosixFilePermissions.fromString("rwxr-xr-x");
            Files.setPosixFilePermissions(directory, searchable);
            for (Path parent = directory.getParent(); parent != null; parent = parent.getParent()) {
                if (!Files.getPosixFilePermissions(parent).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new DovecotException(parent + " is not searchable by the '" + mailUser
                            + "' user that Dovecot's mail processes run as; put the Dovecot directory elsewhere"
                            + " (Dovecot.builder().directory(...), default java.io.tmpdir)");
                }
            }
            own(mailRoot);
        }

        /** Gives a file or directory to the mail user (as root). */
        void own(Path path) throws IOException {
            if (root) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                view.setOwner(owner);
                view.setGroup(group);
            }
        }

        /** Gives a file to the internal user (auth reads the passwd-file). */
        void ownInternal(Path path) throws IOException {
            own(path);
        }

        private static String groupOf(String user) {
            String group = groupOfOrNull(user);
            if (group == null) {
                throw new DovecotException("system user '" + user + "' is missing: it comes with the Debian package"
                        + " dovecot-core (apt-get install --reinstall dovecot-core)");
            }
            return group;
        }

        private static String groupOfOrNull(String user) {
            ProcessResult result = exec(List.of("id", "-gn", user), null, Duration.ofSeconds(10));
            String group = result.stdout().trim();
            return result.exitCode() == 0 && !group.isEmpty() ? group : null;
        }
    }
}
