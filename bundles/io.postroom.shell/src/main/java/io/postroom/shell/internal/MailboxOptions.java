package io.postroom.shell.internal;

import io.postroom.api.Secret;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.ConnectionUpdate;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.shell.internal.Completers.AccessLevels;
import io.postroom.shell.internal.Completers.Folders;
import io.postroom.shell.internal.Completers.KeepPolicies;
import io.postroom.shell.internal.Completers.Securities;
import io.postroom.shell.internal.Completers.SyncPeriods;
import io.postroom.shell.internal.Completers.Visibilities;
import io.postroom.shell.internal.Completers.YesNo;
import java.util.List;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;

/**
 * The connection and settings options of {@code mailbox-add} and {@code mailbox-set}, and how
 * they become the API's records. An option not given is {@code null}: "default" on add,
 * "unchanged" on set.
 */
abstract class MailboxOptions extends PostroomCommand {

    // ---- connection

    @Option(name = "--username", description = "Login name, if it differs from the address")
    String username;

    @Option(name = "--password", description = "The password or app password; better not on the command line: mailbox-add asks for it when left out, mailbox-set has --ask-password",
            censor = true)
    String password;

    @Option(name = "--imap-host", description = "IMAP server host (required for preset custom)")
    String imapHost;

    @Option(name = "--imap-port", description = "IMAP port (default: the standard port of the security)")
    String imapPort;

    @Option(name = "--imap-security", description = "IMAP security: ssl, starttls or none")
    @Completion(Securities.class)
    String imapSecurity;

    @Option(name = "--smtp-host", description = "SMTP server host (required for preset custom)")
    String smtpHost;

    @Option(name = "--smtp-port", description = "SMTP port (default: the standard port of the security)")
    String smtpPort;

    @Option(name = "--smtp-security", description = "SMTP security: ssl, starttls or none")
    @Completion(Securities.class)
    String smtpSecurity;

    // ---- settings

    @Option(name = "--sender-name", description = "Display name in From")
    String senderName;

    @Option(name = "--name", description = "Name template in lists; may use {{first_name}} and {{last_name}}")
    String nameTemplate;

    @Option(name = "--access-level", description = "personal or shared")
    @Completion(AccessLevels.class)
    String accessLevel;

    @Option(name = "--shared-with", multiValued = true,
            description = "User the mailbox is shared with (repeat for several; --shared-with \"\" for nobody)")
    List<String> sharedWith;

    @Option(name = "--visibility", description = "Who sees its messages: owner_only, owner_and_managers or everyone")
    @Completion(Visibilities.class)
    String visibility;

    @Option(name = "--private-messages", description = "yes: only the owner sees subjects, bodies and attachments")
    @Completion(YesNo.class)
    String privateMessages;

    @Option(name = "--allowed-sender", multiValued = true,
            description = "User who may send from it besides the owner (repeat for several; --allowed-sender \"\" for everyone with access)")
    List<String> allowedSenders;

    @Option(name = "--crm-linking", description = "yes or no: link messages to CRM contacts and companies")
    @Completion(YesNo.class)
    String crmLinking;

    @Option(name = "--keep", description = "Which messages linking keeps: received, sent or both")
    @Completion(KeepPolicies.class)
    String keep;

    @Option(name = "--sync-period", description = "How far back to synchronise: 7d, 14d, 1m, 3m or 1y")
    @Completion(SyncPeriods.class)
    String syncPeriod;

    @Option(name = "--folder", multiValued = true, description = "Folder to synchronise (repeat for several)")
    @Completion(Folders.class)
    List<String> folders;

    SettingsUpdate settingsUpdate() {
        return new SettingsUpdate(Values.line("--sender-name", senderName), Values.line("--name", nameTemplate),
                Values.enumValue("--access-level", accessLevel, AccessLevel.class), Values.users("--shared-with", sharedWith),
                Values.enumValue("--visibility", visibility, MessageVisibility.class),
                Values.yesNo("--private-messages", privateMessages), Values.users("--allowed-sender", allowedSenders),
                Values.yesNo("--crm-linking", crmLinking), Values.enumValue("--keep", keep, KeepPolicy.class),
                syncPeriod == null ? null : SyncPeriod.parse(syncPeriod), Values.lines("--folder", folders));
    }

    ConnectionRequest connectionRequest(String preset, String address, Secret secret) {
        return new ConnectionRequest(Values.line("--preset", preset), Values.line("address", address),
                Values.line("--username", username), secret,
                Values.line("--imap-host", imapHost), Values.port("--imap-port", imapPort),
                Values.enumValue("--imap-security", imapSecurity, Security.class),
                Values.line("--smtp-host", smtpHost), Values.port("--smtp-port", smtpPort),
                Values.enumValue("--smtp-security", smtpSecurity, Security.class));
    }

    ConnectionUpdate connectionUpdate(Secret secret) {
        return new ConnectionUpdate(Values.line("--username", username), secret,
                Values.line("--imap-host", imapHost), Values.port("--imap-port", imapPort),
                Values.enumValue("--imap-security", imapSecurity, Security.class),
                Values.line("--smtp-host", smtpHost), Values.port("--smtp-port", smtpPort),
                Values.enumValue("--smtp-security", smtpSecurity, Security.class));
    }
}
