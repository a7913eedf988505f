package io.postroom.protocol;

import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Security;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Dovecot (IMAP only, STARTTLS on a loopback port, one user, SPECIAL-USE folders) for
 * the tests GreenMail cannot serve. Deliberately small: the fuller harness lives in
 * itests/io.postroom.testing. Runs as root (mail as the {@code dovecot} user) or unprivileged.
 */
final class TestDovecot implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/dovecot");
    static final String USER = "alice";
    static final String PASSWORD = "d0vecot-Pa55!";

    private final Process process;
    private final Path dir;
    final int port;

    private TestDovecot(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static TestDovecot start(Path dir, TestTls tls) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        String me = System.getProperty("user.name");
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(mail, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, USER + ":{PLAIN}" + PASSWORD + "\n");
        String users = root
                ? "mail_uid = dovecot\nmail_gid = dovecot\ndefault_login_user = dovenull\ndefault_internal_user = dovecot\n"
                : "default_login_user = " + me + "\ndefault_internal_user = " + me + "\n";
        String userdb = root ? "uid=dovecot gid=dovecot " : "";
        String conf = """
                base_dir = %1$s/run
                instance_name = postroom-protocol-test
                protocols = imap
                listen = 127.0.0.1
                log_path = %1$s/dovecot.log
                ssl = yes
                ssl_cert = <%2$s
                ssl_key = <%3$s
                disable_plaintext_auth = yes
                auth_mechanisms = plain login
                auth_failure_delay = 0
                first_valid_uid = 1
                mail_location = maildir:%1$s/mail/%%u
                %4$s
                passdb {
                  driver = passwd-file
                  args = %1$s/passwd
                }
                userdb {
                  driver = static
                  args = %5$shome=%1$s/mail/%%u
                }
                namespace inbox {
                  inbox = yes
                  separator = /
                  mailbox Sent {
                    special_use = \\Sent
                    auto = create
                  }
                  mailbox Drafts {
                    special_use = \\Drafts
                    auto = create
                  }
                  mailbox Trash {
                    special_use = \\Trash
                    auto = create
                  }
                  mailbox Junk {
                    special_use = \\Junk
                    auto = create
                  }
                  mailbox Archive {
                    special_use = \\Archive
                    auto = create
                  }
                }
                service imap-login {
                  chroot =
                  inet_listener imap {
                    port = %6$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                service anvil {
                  chroot =
                }
                """.formatted(dir, tls.certPem, tls.keyPem, users, userdb, port);
        Path config = dir.resolve("dovecot.conf");
        Files.writeString(config, conf);
        Process process = new ProcessBuilder(BINARY.toString(), "-F", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        TestDovecot dovecot = new TestDovecot(process, dir, port);
        dovecot.awaitGreeting();
        return dovecot;
    }

    private void awaitGreeting() throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Dovecot exited: " + logs());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(2000);
                byte[] greeting = new byte[4];
                InputStream in = s.getInputStream();
                if (in.readNBytes(greeting, 0, 4) == 4 && new String(greeting, StandardCharsets.US_ASCII).equals("* OK")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("Dovecot did not greet on port " + port + ": " + logs());
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        for (String name : new String[] {"stdout.log", "dovecot.log"}) {
            try {
                b.append(Files.readString(dir.resolve(name)));
            } catch (IOException ignored) {
                // not written
            }
        }
        return b.toString();
    }

    Endpoint endpoint(Security security) {
        return new Endpoint("127.0.0.1", port, security);
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy(); // SIGTERM: the master stops its children
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
