package io.postroom.demo.mailserver.internal;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GreenMail IMAP and SMTP server on loopback with a few demo accounts, each seeded with messages
 * at every start. It keeps everything in memory: a restart starts from the seed again. For the
 * standalone Postroom only; a host never installs it.
 */
@Component(service = DemoMailboxes.class, immediate = true, configurationPid = DemoMailServer.PID)
@Designate(ocd = DemoMailServer.Config.class)
public final class DemoMailServer implements DemoMailboxes {
    static final String PID = "io.postroom.demo.mailserver";
    private static final Logger LOG = LoggerFactory.getLogger(DemoMailServer.class);
    private static final int PREVIEW_LENGTH = 300;
    private static final ClassLoader MAIL_CLASS_LOADER = MailClassLoader.create();

    @ObjectClassDefinition(name = "Postroom demo mail server",
            description = "GreenMail with demo accounts on loopback, for trying Postroom without a real mail server. Not for production.")
    public @interface Config {
        @AttributeDefinition(description = "Address the servers listen on")
        String bindAddress() default "127.0.0.1";

        @AttributeDefinition(description = "IMAP port without TLS")
        int imapPort() default 3143;

        @AttributeDefinition(description = "SMTP port without TLS")
        int smtpPort() default 3025;

        @AttributeDefinition(description = "IMAPS port (TLS with GreenMail's self-signed certificate); 0 turns it off")
        int imapsPort() default 0;

        @AttributeDefinition(description = "SMTPS port (TLS with GreenMail's self-signed certificate); 0 turns it off")
        int smtpsPort() default 0;

        @AttributeDefinition(description = "Demo accounts, separated by commas: address, or address:password. "
                + "Without a password, the password is the part before @ (alice@example.com logs in with alice).")
        String accounts() default "alice@example.com, bob@example.com, carol@example.com";

        @AttributeDefinition(description = "Put demo messages into INBOX and Sent of every account at start")
        boolean seed() default true;
    }

    private final GreenMail greenMail;
    private final List<DemoAccount> accounts;
    private final String description;

    @Activate
    public DemoMailServer(Config config) {
        this(config, Clock.systemUTC());
    }

    DemoMailServer(Config config, Clock clock) {
        this.accounts = DemoAccount.parse(config.accounts());
        List<ServerSetup> setups = new ArrayList<>();
        List<String> listening = new ArrayList<>();
        addServer(setups, listening, config.imapPort(), config.bindAddress(), ServerSetup.PROTOCOL_IMAP);
        addServer(setups, listening, config.smtpPort(), config.bindAddress(), ServerSetup.PROTOCOL_SMTP);
        addServer(setups, listening, config.imapsPort(), config.bindAddress(), ServerSetup.PROTOCOL_IMAPS);
        addServer(setups, listening, config.smtpsPort(), config.bindAddress(), ServerSetup.PROTOCOL_SMTPS);
        if (setups.isEmpty()) {
            throw new IllegalArgumentException("The demo mail server has no port: set imapPort and smtpPort in etc/" + PID + ".cfg.");
        }
        this.description = String.join(", ", listening);
        this.greenMail = new GreenMail(setups.toArray(ServerSetup[]::new));
        withMailClassLoader(() -> {
            start(config.seed(), clock.instant());
            return null;
        });
    }

    private static void addServer(List<ServerSetup> setups, List<String> listening, int port, String bindAddress, String protocol) {
        if (port <= 0) {
            return;
        }
        if (port > 65535) {
            throw new IllegalArgumentException("The demo mail server's " + protocol + " port " + port + " is not a port number (1-65535).");
        }
        setups.add(new ServerSetup(port, bindAddress, protocol));
        listening.add(protocol.toUpperCase(java.util.Locale.ROOT) + " " + bindAddress + ":" + port);
    }

    private void start(boolean seed, Instant now) throws Exception {
        try {
            greenMail.start();
        } catch (RuntimeException e) {
            greenMail.stop();
            throw new IllegalStateException("The demo mail server could not listen on " + description
                    + " (is another Postroom or mail server running? Change the ports in etc/" + PID + ".cfg): " + e.getMessage(), e);
        }
        ImapHostManager folders = greenMail.getManagers().getImapHostManager();
        SeedMessages messages = new SeedMessages(now);
        for (int i = 0; i < accounts.size(); i++) {
            DemoAccount account = accounts.get(i);
            GreenMailUser user = greenMail.setUser(account.address().value(), account.login(), account.password());
            MailFolder sent = folders.createMailbox(user, SeedMessages.SENT);
            if (!seed) {
                continue;
            }
            MailFolder inbox = folders.getInbox(user);
            SeedMessages.Person me = person(account);
            SeedMessages.Person colleague = accounts.size() > 1 ? person(accounts.get((i + 1) % accounts.size()))
                    : new SeedMessages.Person("Dave Dunn", "dave@example.com");
            SeedMessages.Person other = accounts.size() > 2 ? person(accounts.get((i + 2) % accounts.size()))
                    : new SeedMessages.Person("Erin Evans", "erin@example.com");
            for (SeedMessages.Seed s : messages.forAccount(me, colleague, other)) {
                MailFolder folder = SeedMessages.SENT.equals(s.folder()) ? sent : inbox;
                folder.appendMessage(s.message(), s.flags(), s.received());
            }
        }
        LOG.info("Demo mail server listening on {} with accounts {}", description,
                accounts.stream().map(a -> a.address().value()).toList());
    }

    private static SeedMessages.Person person(DemoAccount account) {
        return new SeedMessages.Person(account.displayName(), account.address().value());
    }

    /** Stops the servers; safe to call more than once. */
    @Deactivate
    public void stop() {
        if (greenMail.isRunning()) {
            greenMail.stop();
            LOG.info("Demo mail server stopped");
        }
    }

    @Override
    public List<String> addresses() {
        return accounts.stream().map(a -> a.address().value()).toList();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<DemoMessage> latest(String address, String folderName, int count) {
        return withMailClassLoader(() -> {
            GreenMailUser user = greenMail.getUserManager().getUserByEmail(address == null ? "" : address.strip());
            if (user == null) {
                throw new IllegalArgumentException("There is no demo account " + address + "; the demo accounts are "
                        + String.join(", ", addresses()) + ".");
            }
            MailFolder folder;
            try {
                folder = greenMail.getManagers().getImapHostManager().getFolder(user, folderName, true);
            } catch (FolderException e) {
                throw new IllegalArgumentException(address + " has no folder " + folderName + ".", e);
            }
            List<StoredMessage> stored = new ArrayList<>(folder.getMessages());
            stored.sort(Comparator.comparingLong(StoredMessage::getUid).reversed());
            List<DemoMessage> result = new ArrayList<>();
            for (StoredMessage m : stored.subList(0, Math.min(Math.max(count, 0), stored.size()))) {
                result.add(summary(m));
            }
            return result;
        });
    }

    private static DemoMessage summary(StoredMessage stored) throws MessagingException, IOException {
        MimeMessage m = stored.getMimeMessage();
        String from = m.getHeader("From", ", ");
        String subject = m.getSubject();
        String text = firstText(m);
        String preview = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        if (preview.length() > PREVIEW_LENGTH) {
            preview = preview.substring(0, PREVIEW_LENGTH) + "...";
        }
        return new DemoMessage(stored.getReceivedDate().toInstant(), decode(from), subject == null ? "" : subject, preview);
    }

    private static String decode(String header) {
        if (header == null) {
            return "";
        }
        try {
            return jakarta.mail.internet.MimeUtility.decodeText(jakarta.mail.internet.MimeUtility.unfold(header));
        } catch (java.io.UnsupportedEncodingException e) {
            return header;
        }
    }

    /** The first text/plain part, else the first text/html part without its tags. */
    private static String firstText(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/plain")) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            String html = null;
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                if (Part.ATTACHMENT.equalsIgnoreCase(child.getDisposition())) {
                    continue;
                }
                String text = firstText(child);
                if (text != null && child.isMimeType("text/plain")) {
                    return text;
                }
                if (text != null && html == null) {
                    html = text;
                }
            }
            return html;
        }
        if (part.isMimeType("text/html")) {
            return String.valueOf(part.getContent()).replaceAll("<[^>]*>", " ").replace("&nbsp;", " ");
        }
        return null;
    }

    /**
     * Jakarta Mail finds its providers and content handlers, and GreenMail its keystore, through
     * the thread context class loader; GreenMail's server threads inherit the one set while they start.
     */
    private static <T> T withMailClassLoader(Callable<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(MAIL_CLASS_LOADER);
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
