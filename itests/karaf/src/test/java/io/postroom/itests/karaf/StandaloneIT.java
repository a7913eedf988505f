package io.postroom.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.ConnectionTest;
import io.postroom.api.mailbox.ConnectionUpdate;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.NewMailbox;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.ProbeResult;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.message.MessageEvents;
import io.postroom.api.message.MessageService;
import io.postroom.api.sync.SyncEvents;
import io.postroom.api.sync.SyncService;
import io.postroom.api.spi.PlanPolicy;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.api.spi.User;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The standalone assembly as a newcomer starts it: smoke checks, then one mailbox's whole life
 * through the service, the console and REST against the demo mail server inside Karaf, the main
 * REST error paths, and finally a search for the passwords in everything Postroom wrote or said.
 * One container for the class; the methods run in name order and build on each other.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class StandaloneIT {
    private static final String[] POSTROOM_BUNDLES = {
        "io.postroom.api", "io.postroom.mime", "io.postroom.secrets", "io.postroom.protocol", "io.postroom.persistence",
        "io.postroom.mailbox", "io.postroom.sync", "io.postroom.message", "io.postroom.shell", "io.postroom.rest",
        "io.postroom.sample.host", "io.postroom.demo.mailserver"};
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static final Actor ALICE = Actor.of("demo", "alice");
    private static final String ALICE_ADDRESS = "alice@example.com";

    /** Everything the shell printed and REST answered, for the leak check. */
    private static final List<String> TRANSCRIPT = new ArrayList<>();
    /** Verification codes already used, so that a late delivery is never mistaken for the new code. */
    private static final Set<String> USED_CODES = new HashSet<>();
    /** The mailbox b3 connects through REST and b4 uses for the error paths. */
    private static long restMailbox;
    /** The mailbox b5 synchronises and b6 synchronises again in the console. */
    private static long syncedMailbox;
    /** The demo message with the CSV attachment, as b5 found it. */
    private static long contractMessage;
    /** Events about messages and syncs, from an EventHandler registered in b5. */
    private static final List<Event> EVENTS = new CopyOnWriteArrayList<>();
    private static ServiceRegistration<EventHandler> eventHandler;
    private static final String UKRAINIAN_SUBJECT = "Замовлення № 42: підтвердження доставки";
    private static final String CSV_START = "product,unit price EUR,quantity";

    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    ServiceComponentRuntime scr;

    @Inject
    BootFinished bootFinished;

    @Configuration
    public Option[] config() {
        return Containers.standalone();
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader(Constants.DYNAMICIMPORT_PACKAGE, "*");
        return probe;
    }

    // ---------------------------------------------------------------- a) smoke

    @Test
    public void a1_allPostroomBundlesAreActive() {
        Map<String, Bundle> found = new HashMap<>();
        for (Bundle b : Osgi.bundles(context, "io.postroom.")) {
            found.put(b.getSymbolicName(), b);
        }
        for (String name : POSTROOM_BUNDLES) {
            assertTrue(name + " is not installed; installed: " + found.keySet(), found.containsKey(name));
        }
        List<String> notActive = found.values().stream().filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " (state " + b.getState() + ")").toList();
        assertTrue("Postroom bundles not active: " + notActive, notActive.isEmpty());
    }

    @Test
    public void a2_allPostroomComponentsAreSatisfied() throws InterruptedException {
        List<Bundle> bundles = Osgi.bundles(context, "io.postroom.");
        List<String> broken = Osgi.brokenComponents(scr, bundles);
        for (int i = 0; i < 60 && !broken.isEmpty(); i++) { // components may still settle after boot
            Thread.sleep(500);
            broken = Osgi.brokenComponents(scr, bundles);
        }
        assertTrue("DS components not working:\n  " + String.join("\n  ", broken), broken.isEmpty());
    }

    @Test
    public void a3_hostAndMailboxServicesArePresent() {
        assertNotNull(Osgi.service(context, MailboxService.class, 60));
        TenantDirectory directory = Osgi.service(context, TenantDirectory.class, 10);
        PlanPolicy plans = Osgi.service(context, PlanPolicy.class, 10);

        User alice = directory.user(ALICE.tenant(), ALICE.user()).orElseThrow(() -> new AssertionError("no user alice"));
        assertEquals("Alice Archer", alice.displayName());
        assertTrue(alice.isManager());
        assertEquals("Free", plans.plan(ALICE.tenant(), UserId.of("bob")).name());
        assertEquals("Professional", plans.plan(ALICE.tenant(), UserId.of("admin")).name());
    }

    @Test
    public void a4_restAsksForCredentials() {
        Rest.Answer answer = rest().get(null, null, "/mailboxes");

        assertEquals(answer.toString(), 401, answer.status());
        assertTrue("WWW-Authenticate: " + answer.authenticate(), answer.authenticate().orElse("").startsWith("Basic"));
        assertEquals(401, rest().get("alice", "wrong", "/mailboxes").status());
    }

    @Test
    public void a5_restMakesAPasswordGuesserWait() {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, rest().get("mallory", "guess" + i, "/mailboxes").status());
        }
        Rest.Answer held = rest().get("mallory", "guess5", "/mailboxes");

        assertEquals(held.toString(), 429, held.status());
        assertEquals("30", held.header("Retry-After").orElse(""));
        assertEquals(200, rest().get("alice", "alice", "/mailboxes").status());
    }

    // ---------------------------------------------------------------- b) end to end

    @Test
    public void b1_serviceConnectsVerifiesAndRemovesAMailbox() throws InterruptedException {
        MailboxService mailboxes = Osgi.service(context, MailboxService.class, 60);
        removeAlicesMailboxes();

        List<Preset> presets = mailboxes.presets();
        assertEquals(Preset.CUSTOM, presets.get(presets.size() - 1).id());

        ProbeResult probe = mailboxes.probe(ALICE, aliceRequest());
        List<String> folders = probe.folders().stream().map(RemoteFolder::name).toList();
        assertTrue("folders " + folders, folders.contains("INBOX") && folders.contains("Sent"));

        Mailbox created = mailboxes.create(ALICE, new NewMailbox(aliceRequest(), new SettingsUpdate(null, null, null, null,
                null, null, null, null, null, SyncPeriod.DAYS_7, List.of("INBOX", "Sent"))));
        MailboxId id = created.id();
        assertEquals(ALICE_ADDRESS, created.address().value());
        assertEquals("alice", created.owner().value());
        assertFalse(created.verified());
        assertEquals(MailboxState.ACTIVE, created.state());
        assertTrue(mailboxes.list(ALICE).stream().anyMatch(m -> m.id().equals(id)));
        assertEquals(ALICE_ADDRESS, mailboxes.get(ALICE, id).address().value());

        Mailbox renamed = mailboxes.update(ALICE, id, new SettingsUpdate("Alice Archer (service)", null, null, null, null,
                null, null, null, null, null, null), ConnectionUpdate.NONE);
        assertEquals("Alice Archer (service)", renamed.settings().senderName());

        Mailbox verified = mailboxes.verify(ALICE, id, verificationCode(ALICE_ADDRESS));
        assertTrue(verified.verified());

        ConnectionTest test = mailboxes.test(ALICE, id);
        assertTrue("test failed: " + test.failure(), test.ok());

        Mailbox inactive = mailboxes.deactivate(ALICE, id, "on holiday");
        assertEquals(MailboxState.INACTIVE, inactive.state());
        assertEquals(MailboxState.ACTIVE, mailboxes.activate(ALICE, id).state());

        mailboxes.delete(ALICE, id);
        assertTrue(mailboxes.list(ALICE).stream().noneMatch(m -> m.id().equals(id)));
        try {
            mailboxes.get(ALICE, id);
            fail("deleted mailbox still found");
        } catch (PostroomException e) {
            assertEquals(ErrorCode.MAILBOX_NOT_FOUND, e.code());
        }
    }

    @Test
    public void b2_consoleConnectsVerifiesAndRemovesAMailbox() throws InterruptedException {
        removeAlicesMailboxes();
        KarafShell shell = shell();
        assertTrue(shell.run("alice", "postroom:presets").contains("custom"));

        String added = shell.run("alice", "postroom:mailbox-add --preset custom --password " + password("alice")
                + " --imap-host 127.0.0.1 --imap-port " + imapPort() + " --imap-security none"
                + " --smtp-host 127.0.0.1 --smtp-port " + smtpPort() + " --smtp-security none"
                + " --folder INBOX --folder Sent " + ALICE_ADDRESS);
        Matcher m = Pattern.compile("Mailbox (\\d+) connected").matcher(added);
        assertTrue("no mailbox id in:\n" + added, m.find());
        String id = m.group(1);

        assertTrue(shell.run("alice", "postroom:mailbox-list").contains(ALICE_ADDRESS));
        assertTrue(shell.run("alice", "postroom:mailbox-show " + id).contains(ALICE_ADDRESS));
        shell.run("alice", "postroom:mailbox-set --sender-name \"Alice from the console\" " + id); // options before arguments
        assertTrue(shell.run("alice", "postroom:mailbox-show " + id).contains("Alice from the console"));
        assertTrue(shell.run("alice", "postroom:mailbox-verify " + id + " " + verificationCode(ALICE_ADDRESS)).contains("verified"));
        assertTrue(shell.run("alice", "postroom:mailbox-test " + id).contains("OK"));
        assertTrue(shell.run("alice", "postroom:mailbox-deactivate --reason \"on holiday\" " + id).contains("inactive"));
        shell.run("alice", "postroom:mailbox-activate " + id);
        assertTrue(shell.run("alice", "postroom:mailbox-delete " + id).contains("deleted"));
        assertFalse(shell.run("alice", "postroom:mailbox-list").contains(ALICE_ADDRESS));
    }

    @Test
    public void b3_restConnectsVerifiesAndConfiguresAMailbox() throws InterruptedException {
        removeAlicesMailboxes();
        Rest rest = rest();
        Rest.Answer presets = rest.get("alice", "alice", "/presets");
        assertEquals(presets.toString(), 200, presets.status());

        Rest.Answer probe = rest.post("alice", "alice", "/mailboxes/probe", aliceJson().replace(", \"folders\": [\"INBOX\", \"Sent\"]", ""));
        assertEquals(probe.toString(), 200, probe.status());
        assertTrue(probe.body(), probe.body().contains("\"INBOX\""));

        Rest.Answer created = rest.post("alice", "alice", "/mailboxes", aliceJson());
        assertEquals(created.toString(), 201, created.status());
        long id = created.json().path("id").asLong();
        assertTrue(created.location().orElse("").endsWith("/mailboxes/" + id));
        assertFalse(created.json().path("verified").asBoolean());
        restMailbox = id;

        Rest.Answer list = rest.get("alice", "alice", "/mailboxes");
        assertEquals(1, count(list.json().path("mailboxes"), id));
        assertEquals(200, rest.get("alice", "alice", "/mailboxes/" + id).status());

        Rest.Answer patched = rest.patch("alice", "alice", "/mailboxes/" + id, "{\"senderName\": \"Alice over REST\"}");
        assertEquals(patched.toString(), 200, patched.status());
        assertEquals("Alice over REST", patched.json().path("settings").path("senderName").asText());

        Rest.Answer verified = rest.post("alice", "alice", "/mailboxes/" + id + "/verify",
                "{\"code\": \"" + verificationCode(ALICE_ADDRESS) + "\"}");
        assertEquals(verified.toString(), 200, verified.status());
        assertTrue(verified.json().path("verified").asBoolean());

        Rest.Answer tested = rest.post("alice", "alice", "/mailboxes/" + id + "/test", null);
        assertEquals(tested.toString(), 200, tested.status());
        assertTrue(tested.body(), tested.json().path("ok").asBoolean());

        Rest.Answer inactive = rest.post("alice", "alice", "/mailboxes/" + id + "/deactivate", "{\"reason\": \"on holiday\"}");
        assertEquals(inactive.toString(), 200, inactive.status());
        assertEquals("inactive", inactive.json().path("state").asText());
        Rest.Answer active = rest.post("alice", "alice", "/mailboxes/" + id + "/activate", null);
        assertEquals(active.toString(), 200, active.status());
        assertEquals("active", active.json().path("state").asText());
    }

    @Test
    public void b4_restRefusesBadInputDuplicatesStrangersAndPlanLimits() {
        Rest rest = rest();
        assertTrue("b3 did not create alice's mailbox", restMailbox > 0);
        String path = "/mailboxes/" + restMailbox;
        int before = rest.get("alice", "alice", "/mailboxes").json().path("mailboxes").size();

        Rest.Answer invalid = rest.post("alice", "alice", "/mailboxes", aliceJson().replace(ALICE_ADDRESS, "alice.example.com"));
        assertEquals(invalid.toString(), 422, invalid.status());
        assertEquals("invalid_address", invalid.errorCode());

        Rest.Answer duplicate = rest.post("alice", "alice", "/mailboxes", aliceJson());
        assertEquals(duplicate.toString(), 409, duplicate.status());
        assertEquals("duplicate_address", duplicate.errorCode());
        assertEquals("nothing saved", before, rest.get("alice", "alice", "/mailboxes").json().path("mailboxes").size());

        Rest.Answer shared = rest.patch("alice", "alice", path, "{\"accessLevel\": \"shared\", \"sharedWith\": [\"carol\"]}");
        assertEquals(shared.toString(), 200, shared.status());
        assertEquals(200, rest.get("carol", "carol", path).status());
        Rest.Answer stranger = rest.patch("carol", "carol", path, "{\"senderName\": \"Carol was here\"}");
        assertEquals(stranger.toString(), 403, stranger.status());
        assertEquals("not_owner", stranger.errorCode());
        assertEquals("Alice over REST", rest.get("alice", "alice", path).json().path("settings").path("senderName").asText());

        Rest.Answer bobsFirst = rest.post("bob", "bob", "/mailboxes", json("bob@example.com", password("bob")));
        assertEquals(bobsFirst.toString(), 201, bobsFirst.status());
        Rest.Answer bobsSecond = rest.post("bob", "bob", "/mailboxes", json("carol@example.com", password("carol")));
        assertEquals(bobsSecond.toString(), 403, bobsSecond.status());
        assertEquals("plan_limit_reached", bobsSecond.errorCode());
        assertEquals("bob's second mailbox was saved", 1, rest.get("bob", "bob", "/mailboxes").json().path("mailboxes").size());

        assertEquals(204, rest.delete("bob", "bob", "/mailboxes/" + bobsFirst.json().path("id").asLong()).status());
        assertEquals(204, rest.delete("alice", "alice", path).status());
        assertEquals(404, rest.get("alice", "alice", path).status());
    }

    @Test
    public void b5_restSyncsTheDemoMailboxAndServesItsMessages() throws InterruptedException {
        assertNotNull(Osgi.service(context, SyncService.class, 60));
        assertNotNull(Osgi.service(context, MessageService.class, 60));
        removeAlicesMailboxes();
        listenForEvents();
        Rest rest = rest();
        Rest.Answer created = rest.post("alice", "alice", "/mailboxes", aliceJson());
        assertEquals(created.toString(), 201, created.status());
        long id = created.json().path("id").asLong();
        syncedMailbox = id;

        // "download new messages now"; the scheduler may have started a first sync of the new mailbox already
        Rest.Answer queued = rest.post("alice", "alice", "/mailboxes/" + id + "/sync", null);
        assertTrue(queued.toString(), queued.status() == 202
                || queued.status() == 409 && queued.errorCode().equals("sync_already_running"));
        JsonNode status = awaitSyncEnded(rest, id);
        assertEquals(status.toString(), "idle", status.path("state").asText());
        assertTrue(status.toString(), status.path("lastError").isNull());
        long downloaded = status.path("messagesDownloaded").asLong();
        // the demo seed: 5 in INBOX, 2 in Sent; and the verification code sent when the mailbox was added
        assertTrue(status.toString(), downloaded >= 7);
        JsonNode folders = status.path("folders");
        assertTrue(status.toString(), find(folders, f -> f.path("name").asText().equals("Sent")).path("messagesStored").asLong() == 2);
        JsonNode run = rest.get("alice", "alice", "/mailboxes/" + id + "/sync/runs").json().path("runs").path(0);
        assertEquals(run.toString(), "succeeded", run.path("outcome").asText());
        assertTrue(run.toString(), run.path("finishedAt").isTextual());

        // the host's mailbox list shows the stats
        JsonNode stats = rest.get("alice", "alice", "/mailboxes/" + id).json().path("stats");
        assertEquals(stats.toString(), downloaded, stats.path("messagesDownloaded").asLong());
        assertTrue(stats.toString(), stats.path("lastSyncFinished").isTextual());
        assertTrue(stats.toString(), stats.path("lastSyncError").isNull());

        // the messages, newest first, with the Ukrainian subject decoded
        Rest.Answer listed = rest.get("alice", "alice", "/messages?mailbox=" + id + "&limit=50");
        assertEquals(listed.toString(), 200, listed.status());
        JsonNode messages = listed.json().path("messages");
        assertEquals(listed.body(), downloaded, messages.size());
        assertTrue(listed.body(), listed.json().path("nextCursor").isNull());
        JsonNode order = find(messages, m -> m.path("subject").asText().equals(UKRAINIAN_SUBJECT));
        assertEquals("Олена Петренко", order.path("from").path("name").asText());
        assertEquals("received", order.path("direction").asText());
        JsonNode proposal = find(messages, m -> m.path("subject").asText().equals("Proposal for Fabrikam"));
        assertEquals("sent", proposal.path("direction").asText());
        assertEquals("Sent", proposal.path("folders").path(0).asText());
        for (int i = 1; i < messages.size(); i++) {
            assertTrue("newest first", messages.get(i - 1).path("date").asText().compareTo(messages.get(i).path("date").asText()) >= 0);
        }
        Rest.Answer paged = rest.get("alice", "alice", "/messages?mailbox=" + id + "&limit=3");
        assertEquals(3, paged.json().path("messages").size());
        String cursor = paged.json().path("nextCursor").asText();
        Rest.Answer next = rest.get("alice", "alice", "/messages?mailbox=" + id + "&limit=3&cursor=" + cursor);
        assertEquals(next.toString(), 200, next.status());
        assertEquals(messages.get(3).path("id").asLong(), next.json().path("messages").path(0).path("id").asLong());

        // a thread across INBOX and Sent, oldest first
        long followUp = find(messages, m -> m.path("subject").asText().equals("Re: Re: Quarterly figures for the board")).path("id").asLong();
        Rest.Answer thread = rest.get("alice", "alice", "/messages/" + followUp + "/thread");
        assertEquals(thread.toString(), 200, thread.status());
        List<String> subjects = new ArrayList<>();
        thread.json().path("messages").forEach(m -> subjects.add(m.path("subject").asText()));
        assertEquals(List.of("Quarterly figures for the board", "Re: Quarterly figures for the board",
                "Re: Re: Quarterly figures for the board"), subjects);
        assertEquals("sent", thread.json().path("messages").path(1).path("direction").asText());

        // one message with its text, and its attachment streamed from the demo server with safe headers
        contractMessage = find(messages, m -> m.path("subject").asText().equals("Fabrikam: agreed prices")).path("id").asLong();
        Rest.Answer contract = rest.get("alice", "alice", "/messages/" + contractMessage);
        assertEquals(contract.toString(), 200, contract.status());
        assertTrue(contract.body(), contract.json().path("text").asText().contains("attached are the prices Fabrikam agreed to"));
        JsonNode attachment = contract.json().path("attachments").path(0);
        assertEquals("fabrikam-prices.csv", attachment.path("fileName").asText());
        assertEquals("text/csv", attachment.path("contentType").asText());
        Rest.Answer csv = rest.get("alice", "alice", "/messages/" + contractMessage + "/attachments/1");
        assertEquals(csv.toString(), 200, csv.status());
        assertTrue(csv.body(), csv.body().startsWith(CSV_START) && csv.body().contains("Chang,18.05,80"));
        assertTrue(csv.headers().toString(), csv.header("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.headers().toString(), csv.header("Content-Disposition").orElse("")
                .startsWith("attachment; filename=\"fabrikam-prices.csv\""));
        assertEquals("nosniff", csv.header("X-Content-Type-Options").orElse(""));
        assertTrue(csv.headers().toString(), csv.header("Content-Security-Policy").orElse("").startsWith("sandbox"));
        assertEquals(String.valueOf(csv.body().getBytes(StandardCharsets.UTF_8).length), csv.header("Content-Length").orElse(""));
        Rest.Answer noSuchAttachment = rest.get("alice", "alice", "/messages/" + contractMessage + "/attachments/2");
        assertEquals(noSuchAttachment.toString(), 404, noSuchAttachment.status());
        assertEquals("attachment_not_found", noSuchAttachment.errorCode());

        // bob has no access to alice's mailbox: nothing of it exists for him
        for (String path : List.of("/messages/" + contractMessage, "/messages/" + contractMessage + "/thread",
                "/messages/" + contractMessage + "/attachments/1")) {
            Rest.Answer bob = rest.get("bob", "bob", path);
            assertEquals(path + ": " + bob, 404, bob.status());
            assertEquals("message_not_found", bob.errorCode());
            assertFalse(bob.body(), bob.body().contains("Fabrikam"));
        }
        Rest.Answer bobsList = rest.get("bob", "bob", "/messages?mailbox=" + id);
        assertEquals(bobsList.toString(), 404, bobsList.status());
        assertEquals(0, rest.get("bob", "bob", "/messages").json().path("messages").size());

        // events, posted after commit
        awaitEvent(e -> e.getTopic().equals(MessageEvents.STORED) && Long.valueOf(id).equals(e.getProperty(MessageEvents.MAILBOX_ID))
                && ((Integer) e.getProperty(MessageEvents.COUNT)) > 0 && "demo".equals(e.getProperty(MessageEvents.TENANT)));
        awaitEvent(e -> e.getTopic().equals(SyncEvents.COMPLETED) && Long.valueOf(id).equals(e.getProperty(SyncEvents.MAILBOX_ID)));
        long stored = EVENTS.stream().filter(e -> e.getTopic().equals(MessageEvents.STORED)
                && Long.valueOf(id).equals(e.getProperty(MessageEvents.MAILBOX_ID)))
                .mapToLong(e -> ((long[]) e.getProperty(MessageEvents.MESSAGE_IDS)).length).sum();
        assertEquals("message ids in STORED events", downloaded, stored);
    }

    @Test
    public void b6_consoleSyncsAgainAndShowsStatusAndMessages() throws InterruptedException {
        assertTrue("b5 did not sync alice's mailbox", syncedMailbox > 0);
        long id = syncedMailbox;
        KarafShell shell = shell();
        // a new message on the server: a fresh verification code
        String sent = shell.run("alice", "postroom:mailbox-send-code " + id);
        assertTrue(sent, sent.contains("A new verification code was sent"));
        EVENTS.clear();

        String synced = shell.run("alice", "postroom:sync " + id);
        assertTrue(synced, synced.contains("Sync of mailbox " + id + " queued."));
        assertTrue(synced, synced.contains("Sync finished: 1 new messages stored"));
        awaitEvent(e -> e.getTopic().equals(SyncEvents.COMPLETED) && Long.valueOf(id).equals(e.getProperty(SyncEvents.MAILBOX_ID))
                && Long.valueOf(1).equals(e.getProperty(SyncEvents.MESSAGES_STORED)));

        String status = shell.run("alice", "postroom:sync-status --runs 5 " + id);
        Matcher downloaded = Pattern.compile("Messages downloaded:?\\s*\\|?\\s*(\\d+)").matcher(status);
        assertTrue(status, downloaded.find());
        long count = Long.parseLong(downloaded.group(1));
        assertTrue(status, count >= 8);
        assertTrue(status, status.contains("idle") && status.contains("INBOX") && status.contains("Sent"));
        assertTrue(status, status.contains("succeeded"));
        assertEquals(count, rest().get("alice", "alice", "/mailboxes/" + id).json().path("stats").path("messagesDownloaded").asLong());

        String listed = shell.run("alice", "postroom:messages --limit 50 " + id);
        assertTrue(listed, listed.contains(UKRAINIAN_SUBJECT));
        assertTrue(listed, listed.contains("Fabrikam: agreed prices"));
        String shown = shell.run("alice", "postroom:message-show " + contractMessage);
        assertTrue(shown, shown.contains("attached are the prices Fabrikam agreed to"));
        assertTrue(shown, shown.contains("fabrikam-prices.csv"));

        String bobTries = shell.fail("bob", "postroom:message-show " + contractMessage);
        assertTrue(bobTries, bobTries.contains("message_not_found"));
        assertFalse(bobTries, bobTries.contains("Fabrikam"));
        eventHandler.unregister();
    }

    // ---------------------------------------------------------------- c) no password anywhere

    @Test
    public void c1_noPasswordInLogsOutputsOrDatabase() throws IOException {
        List<String> passwords = List.of(password("alice"), password("bob"), password("carol"));
        List<String> leaks = new ArrayList<>();
        synchronized (TRANSCRIPT) {
            assertFalse("the flows above left no transcript", TRANSCRIPT.isEmpty());
            for (String text : TRANSCRIPT) {
                for (String p : passwords) {
                    if (text.contains(p)) {
                        leaks.add("shell/REST output: " + text.substring(0, Math.min(200, text.length())));
                    }
                }
            }
        }
        Path logs = Paths.get(System.getProperty("karaf.log"));
        Path data = Paths.get(System.getProperty("karaf.data"), "postroom");
        for (Path dir : List.of(logs, data)) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    for (String p : passwords) {
                        int at = indexOf(bytes, p.getBytes(StandardCharsets.UTF_8));
                        if (at >= 0 || indexOf(bytes, p.getBytes(StandardCharsets.UTF_16BE)) >= 0) {
                            leaks.add(file + " contains a password" + (at < 0 ? "" : ": " + context(bytes, at, p)));
                        }
                    }
                }
            }
        }
        assertTrue("Passwords leaked:\n  " + String.join("\n  ", leaks), leaks.isEmpty());
        assertTrue("no Karaf log to check in " + logs, Files.isRegularFile(logs.resolve("karaf.log")));
    }

    // ---------------------------------------------------------------- helpers (run inside Karaf)

    /** A test that failed half way must not make the next one fail with duplicate_address. */
    private void removeAlicesMailboxes() {
        MailboxService mailboxes = Osgi.service(context, MailboxService.class, 60);
        for (Mailbox m : mailboxes.list(ALICE)) {
            if (m.owner().equals(ALICE.user())) {
                mailboxes.delete(ALICE, m.id());
            }
        }
    }

    private KarafShell shell() {
        return new KarafShell(sessionFactory, TRANSCRIPT);
    }

    private Rest rest() {
        Dictionary<String, Object> web = Osgi.configuration(configAdmin, "org.ops4j.pax.web");
        return new Rest(Integer.parseInt(String.valueOf(web.get("org.osgi.service.http.port"))), TRANSCRIPT);
    }

    private Dictionary<String, Object> demo() {
        Dictionary<String, Object> demo = Osgi.configuration(configAdmin, "io.postroom.demo.mailserver");
        assertNotNull("no configuration io.postroom.demo.mailserver", demo);
        return demo;
    }

    private int imapPort() {
        return Integer.parseInt(String.valueOf(demo().get("imapPort")).strip());
    }

    private int smtpPort() {
        return Integer.parseInt(String.valueOf(demo().get("smtpPort")).strip());
    }

    /** The demo account's password, as Containers put it into the demo server's configuration. */
    private String password(String user) {
        for (String entry : String.valueOf(demo().get("accounts")).split(",")) {
            String e = entry.strip();
            if (e.startsWith(user + "@")) {
                return e.substring(e.indexOf(':') + 1);
            }
        }
        throw new AssertionError("no demo account for " + user);
    }

    private ConnectionRequest aliceRequest() {
        return new ConnectionRequest(Preset.CUSTOM, ALICE_ADDRESS, null, Secret.of(password("alice")),
                "127.0.0.1", imapPort(), Security.NONE, "127.0.0.1", smtpPort(), Security.NONE);
    }

    private String aliceJson() {
        return json(ALICE_ADDRESS, password("alice"));
    }

    /** The README's create body: preset custom, the demo server on 127.0.0.1, no TLS. */
    private String json(String address, String password) {
        return "{\"preset\": \"custom\", \"address\": " + Rest.quote(address) + ", \"password\": " + Rest.quote(password)
                + ", \"imapHost\": \"127.0.0.1\", \"imapPort\": " + imapPort() + ", \"imapSecurity\": \"none\""
                + ", \"smtpHost\": \"127.0.0.1\", \"smtpPort\": " + smtpPort() + ", \"smtpSecurity\": \"none\""
                + ", \"folders\": [\"INBOX\", \"Sent\"]}";
    }

    /**
     * The code in the newest message of the demo account, read with postroom:demo-inbox; waits a
     * little for a code not used before, in case delivery lags behind the create call.
     */
    private String verificationCode(String address) throws InterruptedException {
        String inbox = "";
        for (int attempt = 0; attempt < 30; attempt++) {
            inbox = shell().run("admin", "postroom:demo-inbox -n 1 " + address, "admin");
            Matcher m = CODE.matcher(inbox);
            if (m.find() && USED_CODES.add(m.group(1))) {
                return m.group(1);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("No new six-digit code in the newest message of " + address + ":\n" + inbox);
    }

    /** Polls the sync status until no sync is queued or running and one has finished; the last status. */
    private static JsonNode awaitSyncEnded(Rest rest, long id) throws InterruptedException {
        JsonNode status = null;
        for (int attempt = 0; attempt < 240; attempt++) {
            Rest.Answer answer = rest.get("alice", "alice", "/mailboxes/" + id + "/sync");
            assertEquals(answer.toString(), 200, answer.status());
            status = answer.json();
            String state = status.path("state").asText();
            if (!state.equals("queued") && !state.equals("running") && status.path("lastFinishedAt").isTextual()) {
                return status;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("The sync of mailbox " + id + " did not end in 2 minutes: " + status);
    }

    /** Collects postroom/message/* and postroom/sync/* events inside Karaf until b6 unregisters it. */
    private void listenForEvents() {
        if (eventHandler != null) {
            return;
        }
        Dictionary<String, Object> properties = new java.util.Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, new String[] {"postroom/message/*", "postroom/sync/*"});
        eventHandler = context.registerService(EventHandler.class, EVENTS::add, properties);
    }

    private static void awaitEvent(Predicate<Event> wanted) throws InterruptedException {
        for (int attempt = 0; attempt < 60; attempt++) {
            if (EVENTS.stream().anyMatch(wanted)) {
                return;
            }
            Thread.sleep(500);
        }
        List<String> seen = EVENTS.stream().map(e -> e.getTopic() + " " + e.getProperty(SyncEvents.MAILBOX_ID)).toList();
        throw new AssertionError("No such event in 30 s; seen: " + seen);
    }

    private static JsonNode find(JsonNode array, Predicate<JsonNode> wanted) {
        for (JsonNode n : array) {
            if (wanted.test(n)) {
                return n;
            }
        }
        throw new AssertionError("Not found in " + array);
    }

    private static int count(JsonNode mailboxes, long id) {
        int n = 0;
        for (JsonNode m : mailboxes) {
            if (m.path("id").asLong() == id) {
                n++;
            }
        }
        return n;
    }

    /** The text around a find, with the password masked, so the report says where it leaked. */
    private static String context(byte[] bytes, int at, String password) {
        int from = Math.max(0, at - 200);
        int to = Math.min(bytes.length, at + password.length() + 100);
        return new String(bytes, from, to - from, StandardCharsets.UTF_8).replace(password, "<PASSWORD>").replaceAll("\\s+", " ");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
