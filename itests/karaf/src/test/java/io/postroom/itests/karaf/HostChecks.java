package io.postroom.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.api.mailbox.Security;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Checks of {@link HotDeployIT} that use Postroom's types; kept apart so that the test class
 * loads before the feature that provides them is installed.
 */
final class HostChecks {
    private HostChecks() {
    }

    static void mailboxServiceWorksWithShippedDefaults(BundleContext context) {
        MailboxService mailboxes = Osgi.service(context, MailboxService.class, 120);
        Actor alice = Actor.of("demo", "alice");

        assertTrue("a fresh Postroom has no mailboxes", mailboxes.list(alice).isEmpty());

        // without etc/io.postroom.protocol.cfg, loopback is denied before any packet is sent
        try {
            mailboxes.probe(alice, new ConnectionRequest("custom", "alice@example.com", null, Secret.of("alice"),
                    "127.0.0.1", 993, Security.SSL, "127.0.0.1", 465, Security.SSL));
            fail("the default outbound policy let Postroom connect to 127.0.0.1");
        } catch (PostroomException e) {
            assertEquals(e.getMessage(), ErrorCode.OUTBOUND_NOT_ALLOWED, e.code());
        }
        assertTrue(mailboxes.list(alice).isEmpty());
    }

    static void componentsAreSatisfied(BundleContext context) {
        ServiceComponentRuntime scr = Osgi.service(context, ServiceComponentRuntime.class, 30);
        List<String> broken = Osgi.brokenComponents(scr, Osgi.bundles(context, "io.postroom."));
        for (int i = 0; i < 60 && !broken.isEmpty(); i++) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            broken = Osgi.brokenComponents(scr, Osgi.bundles(context, "io.postroom."));
        }
        assertTrue("DS components not working:\n  " + String.join("\n  ", broken), broken.isEmpty());
    }
}
